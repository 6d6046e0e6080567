"""q.get(), fetch(limit, offset), run(limit=, offset=), iteration, and get() on an empty result."""
from google.appengine.ext import db


class Num(db.Model):
    v = db.IntegerProperty()


def run(observe):
    db.put([Num(key_name='n%d' % i, v=i) for i in range(10)])
    q = Num.all().order('v')
    observe('get', q.get().v)
    observe('fetch', [n.v for n in q.fetch(3)])
    observe('fetch_offset', [n.v for n in q.fetch(3, offset=5)])
    observe('run_limit', [n.v for n in q.run(limit=2)])
    observe('run_offset', [n.v for n in q.run(offset=8)])
    observe('iterate', [n.v for n in Num.all().filter('v >=', 7).order('v')])
    observe('empty_get', Num.all().filter('v >', 100).get())
    observe('list', len(list(Num.all())))
