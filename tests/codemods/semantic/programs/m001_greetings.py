"""Guestbook: put, get by id, all() ordered, count, delete."""
import datetime

from google.appengine.ext import db


class Greeting(db.Model):
    author = db.StringProperty()
    content = db.TextProperty()
    votes = db.IntegerProperty(default=0)
    date = db.DateTimeProperty()


def run(observe):
    when = datetime.datetime(2012, 5, 1, 12, 0, 0)
    keys = []
    for i, name in enumerate(['ann', 'bob', 'cid']):
        g = Greeting(author=name, content='hello from %s' % name, date=when + datetime.timedelta(hours=i))
        keys.append(g.put())
    observe('keys', keys)
    first = Greeting.get_by_id(keys[0].id())
    observe('first', first)
    observe('author', first.author)
    q = Greeting.all().order('-date')
    observe('newest_first', [g.author for g in q.fetch(10)])
    observe('count', Greeting.all().count())
    db.delete(keys[1])
    observe('after_delete', [g.author for g in Greeting.all().order('date')])
    observe('missing', Greeting.get_by_id(keys[1].id()))
