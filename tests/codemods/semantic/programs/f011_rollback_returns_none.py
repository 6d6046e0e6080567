"""Family 6: db.Rollback inside run_in_transaction returns None and writes nothing."""
from google.appengine.ext import db


class Wallet(db.Model):
    balance = db.IntegerProperty(default=0)


def withdraw(key, amount):
    w = db.get(key)
    w.balance -= amount
    w.put()
    if w.balance < 0:
        raise db.Rollback()
    return w.balance


def run(observe):
    key = Wallet(key_name='w', balance=10).put()
    observe('ok', db.run_in_transaction(withdraw, key, 4))
    observe('rolled_back', db.run_in_transaction(withdraw, key, 50))
    observe('balance', db.get(key).balance)
