"""Family 2: overrides of put() and of the legacy hook _populate_internal_entity (ndb never calls it)."""
from google.appengine.ext import db


class Stamped(db.Model):
    name = db.StringProperty()
    slug = db.StringProperty()

    def put(self, **kwargs):
        self.slug = (self.name or '').lower().replace(' ', '-')
        return db.Model.put(self, **kwargs)


def run(observe):
    s = Stamped(key_name='s', name='Hello World')
    s.put()
    observe('slug', Stamped.get_by_key_name('s').slug)
    db.put([Stamped(key_name='t', name='Batch Put')])
    observe('batch_slug', Stamped.get_by_key_name('t').slug)
