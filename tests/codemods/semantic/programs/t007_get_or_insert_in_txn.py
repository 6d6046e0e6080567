"""get_or_insert called inside a transaction (legacy ran it in the enclosing transaction)."""
from google.appengine.ext import db


class Tally(db.Model):
    n = db.IntegerProperty(default=0)


def incr(name):
    t = Tally.get_or_insert(name)
    t.n += 1
    t.put()
    return t.n


def run(observe):
    observe.error('first', db.run_in_transaction, incr, 'x')
    observe.error('second', db.run_in_transaction, incr, 'x')
    t = Tally.get_by_key_name('x')
    observe('stored', t and t.n)
