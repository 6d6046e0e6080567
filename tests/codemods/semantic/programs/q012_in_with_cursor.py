"""IN and != queries paged with cursors (legacy supported cursors only on some multi-queries)."""
from google.appengine.ext import db


class Ad(db.Model):
    city = db.StringProperty()
    price = db.IntegerProperty()


def run(observe):
    db.put([Ad(key_name='a%d' % i, city=c, price=i) for i, c in enumerate(['rome', 'oslo', 'rome', 'lima', 'oslo', 'rome'])])
    q = Ad.all().filter('city IN', ['rome', 'oslo']).order('price')
    observe('first', [a.price for a in q.fetch(2)])
    observe.error('cursor', lambda: type(q.cursor()).__name__)
    q2 = Ad.all().filter('city !=', 'rome')
    observe('ne_all', [a.price for a in q2])
    observe('ne_fetch', [a.price for a in Ad.all().filter('city !=', 'oslo').fetch(3)])
