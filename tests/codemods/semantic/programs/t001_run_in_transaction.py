"""run_in_transaction with arguments and keyword arguments; the callback's value is returned."""
from google.appengine.ext import db


class Account(db.Model):
    balance = db.IntegerProperty()


def transfer(src_key, dst_key, amount, note=None):
    src, dst = db.get([src_key, dst_key])
    src.balance -= amount
    dst.balance += amount
    db.put([src, dst])
    return (src.balance, dst.balance, note)


def run(observe):
    parent = db.Key.from_path('Bank', 'b')
    a = Account(parent=parent, key_name='a', balance=100).put()
    b = Account(parent=parent, key_name='b', balance=0).put()
    observe('result', db.run_in_transaction(transfer, a, b, 30, note='rent'))
    observe('balances', [x.balance for x in db.get([a, b])])
