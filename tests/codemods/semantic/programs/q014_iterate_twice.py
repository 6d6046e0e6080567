"""Iterating a query twice, fetch after iteration, and len(fetch())."""
from google.appengine.ext import db


class City(db.Model):
    pop = db.IntegerProperty()


def run(observe):
    db.put([City(key_name=n, pop=p) for n, p in (('x', 3), ('y', 1), ('z', 2))])
    q = City.all().order('pop')
    observe('first_pass', [c.key().name() for c in q])
    observe('second_pass', [c.key().name() for c in q])
    observe('fetch_after', len(q.fetch(10)))
