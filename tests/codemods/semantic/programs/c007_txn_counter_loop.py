"""A counter incremented by many small transactions, read back."""
from google.appengine.ext import db


class Counter(db.Model):
    n = db.IntegerProperty(default=0)


def incr(key):
    c = db.get(key)
    c.n += 1
    c.put()
    return c.n


def run(observe):
    k = Counter(key_name='c').put()
    values = [db.run_in_transaction(incr, k) for _ in range(5)]
    observe('values', values)
    observe('final', Counter.get(k).n)
