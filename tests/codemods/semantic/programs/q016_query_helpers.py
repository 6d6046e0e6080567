"""Query helpers passed around: a function adding filters and returning the query, chained order."""
from google.appengine.ext import db


class Event(db.Model):
    city = db.StringProperty()
    day = db.IntegerProperty()


def in_city(q, city):
    return q.filter('city =', city)


def upcoming(q, today):
    return q.filter('day >=', today).order('day')


def run(observe):
    db.put([Event(key_name='e%d' % i, city=c, day=d) for i, (c, d) in enumerate(
        [('oslo', 5), ('oslo', 1), ('rome', 7), ('oslo', 9)])])
    q = upcoming(in_city(Event.all(), 'oslo'), 3)
    observe('upcoming', [e.day for e in q])
    observe('first', q.get().day)
