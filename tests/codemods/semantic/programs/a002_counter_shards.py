"""Sharded counter (the 2008 article's pattern): get_or_insert shards in transactions, sum them."""
from google.appengine.ext import db


class Shard(db.Model):
    name = db.StringProperty(required=True)
    count = db.IntegerProperty(required=True, default=0)


NUM_SHARDS = 3


def increment(name, index):
    def txn():
        shard_name = '%s-%d' % (name, index)
        shard = Shard.get_by_key_name(shard_name)
        if shard is None:
            shard = Shard(key_name=shard_name, name=name)
        shard.count += 1
        shard.put()
    db.run_in_transaction(txn)


def total(name):
    return sum(s.count for s in Shard.all().filter('name =', name))


def run(observe):
    for i in range(7):
        increment('hits', i % NUM_SHARDS)
    increment('other', 0)
    observe('total', total('hits'))
    observe('shards', sorted((s.key().name(), s.count) for s in Shard.all()))
