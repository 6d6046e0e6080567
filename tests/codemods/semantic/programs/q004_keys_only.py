"""keys_only queries: Model.all(keys_only=True), db.Query(Model, keys_only=True), fetch/get/iteration shapes."""
from google.appengine.ext import db


class Leaf(db.Model):
    n = db.IntegerProperty()


def run(observe):
    db.put([Leaf(key_name='l%d' % i, n=i) for i in range(4)])
    observe('all_keys', Leaf.all(keys_only=True).order('n').fetch(10))
    observe('query_keys', [k for k in db.Query(Leaf, keys_only=True).filter('n >', 1).order('n')])
    observe('get_key', Leaf.all(keys_only=True).order('-n').get())
    observe('is_key', isinstance(Leaf.all(keys_only=True).get(), db.Key))
    keys = Leaf.all(keys_only=True).fetch(2)
    db.delete(keys)
    observe('left', Leaf.all().count())
