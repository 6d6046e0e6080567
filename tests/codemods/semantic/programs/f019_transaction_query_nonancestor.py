"""Family 6: a non-ancestor query inside a transaction: legacy refuses it with BadRequestError."""
from google.appengine.ext import db


class Job(db.Model):
    done = db.BooleanProperty()


def pending():
    return [j.key().name() for j in Job.all().filter('done =', False)]


def run(observe):
    db.put([Job(key_name='a', done=False), Job(key_name='b', done=True)])
    observe.error('in_txn', db.run_in_transaction, pending)
    observe('outside', pending())
