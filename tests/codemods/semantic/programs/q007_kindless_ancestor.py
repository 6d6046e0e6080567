"""Kindless queries: db.Query() with an ancestor returns every kind below it, keys only too."""
from google.appengine.ext import db


class Home(db.Model):
    pass


class Room(db.Model):
    name = db.StringProperty()


class Lamp(db.Model):
    watts = db.IntegerProperty()


def run(observe):
    h = Home(key_name='h')
    h.put()
    r = Room(parent=h, key_name='kitchen', name='kitchen')
    r.put()
    Lamp(parent=r, key_name='l1', watts=60).put()
    Lamp(key_name='elsewhere', watts=5).put()
    q = db.Query().ancestor(h)
    observe('kinds', sorted(e.key().kind() for e in q))
    observe('keys', sorted(db.Query(keys_only=True).ancestor(h)))
    observe('by_key_range', sorted(k.name() for k in db.Query(keys_only=True).filter('__key__ >', db.Key.from_path('Home', 'a'))))
