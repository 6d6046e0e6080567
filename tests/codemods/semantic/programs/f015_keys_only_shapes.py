"""Family 3: db.Query(keys_only=True) with a model, iteration gives keys; get() gives a key; count()."""
from google.appengine.ext import db


class Msg(db.Model):
    n = db.IntegerProperty()


def run(observe):
    db.put([Msg(key_name='m%d' % i, n=i) for i in range(3)])
    q = db.Query(Msg, keys_only=True)
    observe('iter', sorted(k.name() for k in q))
    observe('get_type', type(db.Query(Msg, keys_only=True).filter('n =', 1).get()).__name__)
    observe('fetch', db.Query(Msg, keys_only=True).order('-n').fetch(2))
    observe('count', db.Query(Msg, keys_only=True).count())
