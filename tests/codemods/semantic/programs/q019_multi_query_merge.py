"""IN and != without a sort order: db's MultiQuery merged its sub-queries' streams by key (fetch, offset, get, count)."""
from google.appengine.ext import db


class Ad(db.Model):
    city = db.StringProperty()
    price = db.IntegerProperty()
    tags = db.StringListProperty()


def run(observe):
    cities = ['rome', 'oslo', 'rome', 'lima', 'oslo', 'rome', 'bonn']
    tags = [['a'], ['b'], ['a', 'b'], ['c'], ['b', 'c'], [], ['a', 'c']]
    db.put([Ad(key_name='a%d' % i, city=c, price=i, tags=t) for i, (c, t) in enumerate(zip(cities, tags))])
    observe('in_iter', [a.price for a in Ad.all().filter('city IN', ['rome', 'oslo'])])
    observe('in_reversed_values', [a.price for a in Ad.all().filter('city IN', ['oslo', 'rome'])])
    observe('ne_iter', [a.price for a in Ad.all().filter('city !=', 'oslo')])
    observe('ne_fetch_offset', [a.price for a in Ad.all().filter('city !=', 'oslo').fetch(3, 2)])
    observe('ne_fetch_past_end', [a.price for a in Ad.all().filter('city !=', 'oslo').fetch(10, 4)])
    observe('ne_run_limit', [a.price for a in Ad.all().filter('city !=', 'oslo').run(limit=2)])
    observe('ne_get', Ad.all().filter('city !=', 'bonn').get().price)
    observe('ne_get_none', Ad.all().filter('city !=', 'bonn').filter('price =', 99).get())
    observe('ne_count', Ad.all().filter('city !=', 'oslo').count())
    observe('ne_count_limit', Ad.all().filter('city !=', 'oslo').count(2))
    observe('in_and_equal', [a.price for a in Ad.all().filter('city IN', ['rome', 'bonn']).filter('tags =', 'a')])
    observe('in_list_dedupe', [a.price for a in Ad.all().filter('tags IN', ['c', 'a', 'b'])])
    observe('ne_list_dedupe', [a.price for a in Ad.all().filter('tags !=', 'b')])
    q = Ad.all().filter('city !=', 'lima')
    observe('ne_variable', [a.price for a in q.fetch(4)])
    q.order('-city')
    observe('ne_then_ordered', [a.price for a in q.fetch(4)])
    observe('gql_in', [a.price for a in db.GqlQuery("SELECT * FROM Ad WHERE city IN :1", ['rome', 'oslo'])])
    observe('gql_ne_fetch', [a.price for a in db.GqlQuery("SELECT * FROM Ad WHERE city != :c", c='oslo').fetch(3)])
    observe('gql_ne_ordered', [a.price for a in db.GqlQuery("SELECT * FROM Ad WHERE city != 'oslo' ORDER BY city")])
