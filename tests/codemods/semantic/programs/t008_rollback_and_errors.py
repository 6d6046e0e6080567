"""An exception in a transaction propagates and nothing is written; db.Rollback is swallowed."""
from google.appengine.ext import db


class Doc(db.Model):
    rev = db.IntegerProperty()


def edit(key, fail_with):
    d = db.get(key)
    d.rev += 1
    d.put()
    if fail_with is not None:
        raise fail_with
    return d.rev


def run(observe):
    k = Doc(key_name='d', rev=1).put()
    observe.error('key_error', db.run_in_transaction, edit, k, KeyError('x'))
    observe.error('rollback', db.run_in_transaction, edit, k, db.Rollback())
    observe('rev', db.get(k).rev)
    observe('ok', db.run_in_transaction(edit, k, None))
