# python2
"""Python 2 transaction code with a nested function and except Exception, e."""
from google.appengine.ext import db


class Seat(db.Model):
    free = db.IntegerProperty()


def reserve(key, n):
    def txn():
        s = db.get(key)
        if s.free < n:
            raise ValueError('not enough')
        s.free -= n
        s.put()
        return s.free
    try:
        return db.run_in_transaction(txn)
    except ValueError, e:
        return str(e)


def run(observe):
    k = Seat(key_name='hall', free=5).put()
    observe('first', reserve(k, 3))
    observe('second', reserve(k, 3))
    observe('left', db.get(k).free)
