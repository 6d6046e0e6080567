"""@db.transactional and @db.transactional(xg=True) decorators; a raised error rolls back."""
from google.appengine.ext import db


class Seat(db.Model):
    holder = db.StringProperty()


@db.transactional
def book(key, who):
    s = db.get(key)
    if s.holder:
        raise ValueError('taken')
    s.holder = who
    s.put()
    return who


@db.transactional(xg=True)
def swap(k1, k2):
    a, b = db.get([k1, k2])
    a.holder, b.holder = b.holder, a.holder
    db.put([a, b])


def run(observe):
    k1 = Seat(key_name='1').put()
    k2 = Seat(key_name='2', holder='zed').put()
    observe('book', book(k1, 'ann'))
    observe.error('book_again', book, k1, 'bob')
    swap(k1, k2)
    observe('swapped', [s.holder for s in db.get([k1, k2])])
