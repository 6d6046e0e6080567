"""Family 6: an XG transaction over two groups that fails midway writes nothing; what the caller sees."""
from google.appengine.ext import db


class Box(db.Model):
    n = db.IntegerProperty()


def move(a, b, fail):
    x, y = db.get([a, b])
    x.n -= 1
    y.n += 1
    db.put([x, y])
    if fail:
        raise db.TransactionFailedError('simulated')
    return x.n, y.n


def run(observe):
    a = Box(key_name='a', n=5).put()
    b = Box(key_name='b', n=0).put()
    opts = db.create_transaction_options(xg=True)
    observe.error('failed', db.run_in_transaction_options, opts, move, a, b, True)
    observe('unchanged', [x.n for x in db.get([a, b])])
    observe('ok', db.run_in_transaction_options(opts, move, a, b, False))
