"""Family 4: run(limit=0), fetch(0) on keys-only, count with offset, GQL LIMIT 0."""
from google.appengine.ext import db


class Row(db.Model):
    n = db.IntegerProperty()


def run(observe):
    db.put([Row(n=i) for i in range(5)])
    observe('run_limit0', [r.n for r in Row.all().run(limit=0)])
    observe('keys_fetch0', Row.all(keys_only=True).fetch(0))
    observe('count_offset', Row.all().count(offset=2))
    observe.error('gql_limit0', lambda: db.GqlQuery('SELECT * FROM Row LIMIT 0').fetch(10))
