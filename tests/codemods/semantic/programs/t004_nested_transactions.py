"""Nested run_in_transaction: legacy raises BadRequestError ("nested transactions are not supported")."""
from google.appengine.ext import db


class Item(db.Model):
    n = db.IntegerProperty()


def inner(key):
    e = db.get(key)
    e.n += 1
    e.put()


def outer(key):
    db.run_in_transaction(inner, key)


def run(observe):
    k = Item(key_name='i', n=0).put()
    observe.error('nested', db.run_in_transaction, outer, k)
    observe('n', db.get(k).n)
    observe('in_txn_outside', db.is_in_transaction())
    observe('in_txn_inside', db.run_in_transaction(db.is_in_transaction))
