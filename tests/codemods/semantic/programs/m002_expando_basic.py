"""Expando: dynamic attributes set, read, deleted, listed, queried."""
from google.appengine.ext import db


class Thing(db.Expando):
    name = db.StringProperty()


def run(observe):
    t = Thing(key_name='t1', name='lamp')
    t.colour = 'red'
    t.watts = 40
    t.put()
    back = Thing.get_by_key_name('t1')
    observe('dynamic', sorted(back.dynamic_properties()))
    observe('values', (back.colour, back.watts))
    observe('entity', back)
    del back.colour
    back.put()
    observe('after_del', sorted(Thing.get_by_key_name('t1').dynamic_properties()))
    observe('query', [x.name for x in Thing.all().filter('watts =', 40)])
    observe.error('missing_attr', getattr, back, 'colour')
