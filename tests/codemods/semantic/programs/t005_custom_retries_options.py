"""run_in_transaction_custom_retries and run_in_transaction_options(create_transaction_options(xg=True))."""
from google.appengine.ext import db


class Stock(db.Model):
    qty = db.IntegerProperty()


def take(key, n):
    s = db.get(key)
    s.qty -= n
    s.put()
    return s.qty


def move(a, b):
    x, y = db.get([a, b])
    x.qty -= 1
    y.qty += 1
    db.put([x, y])
    return x.qty + y.qty


def run(observe):
    a = Stock(key_name='a', qty=10).put()
    b = Stock(key_name='b', qty=0).put()
    observe('custom', db.run_in_transaction_custom_retries(3, take, a, 2))
    opts = db.create_transaction_options(xg=True)
    observe('xg', db.run_in_transaction_options(opts, move, a, b))
    observe('after', [s.qty for s in db.get([a, b])])
