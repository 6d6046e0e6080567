"""Reads inside a transaction see the snapshot: a get after a put in the same transaction returns the old value."""
from google.appengine.ext import db


class Cell(db.Model):
    value = db.IntegerProperty()


def bump(key):
    c = db.get(key)
    c.value += 1
    c.put()
    again = db.get(key)
    return again.value


def query_in_txn(key):
    c = db.get(key)
    c.value = 100
    c.put()
    return [x.value for x in Cell.all().ancestor(key.parent())]


def run(observe):
    k = Cell(parent=db.Key.from_path('Sheet', 's'), key_name='c', value=1).put()
    observe('read_after_put', db.run_in_transaction(bump, k))
    observe('committed', db.get(k).value)
    observe('query_snapshot', db.run_in_transaction(query_in_txn, k))
    observe('final', db.get(k).value)
