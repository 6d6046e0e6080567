"""db.GqlQuery: SELECT *, WHERE with positional and named parameters, ORDER BY DESC, LIMIT/OFFSET."""
from google.appengine.ext import db


class Story(db.Model):
    title = db.StringProperty()
    points = db.IntegerProperty()


def run(observe):
    db.put([Story(key_name='s%d' % i, title='t%d' % i, points=i * 10) for i in range(6)])
    q = db.GqlQuery('SELECT * FROM Story WHERE points > :1 ORDER BY points DESC', 15)
    observe('positional', [s.title for s in q])
    q = db.GqlQuery('SELECT * FROM Story WHERE points >= :low AND points <= :high ORDER BY points', low=10, high=30)
    observe('named', [s.title for s in q])
    q = db.GqlQuery('SELECT * FROM Story ORDER BY points LIMIT 2 OFFSET 1')
    observe('limit_offset', [s.title for s in q])
    observe('fetch', [s.title for s in db.GqlQuery('SELECT * FROM Story ORDER BY points DESC').fetch(2)])
    observe('count', db.GqlQuery('SELECT * FROM Story WHERE points < 30').count())
    observe('get', db.GqlQuery('SELECT * FROM Story WHERE title = :1', 't3').get().points)
