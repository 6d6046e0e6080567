"""Filtering and ordering on names that are not properties: legacy queries the datastore anyway or refuses."""
from google.appengine.ext import db


class Pet(db.Model):
    name = db.StringProperty()


def run(observe):
    Pet(key_name='rex', name='Rex').put()
    observe.error('filter_unknown', lambda: Pet.all().filter('age >', 3).fetch(5))
    observe.error('order_unknown', lambda: [p.name for p in Pet.all().order('age').fetch(5)])
    observe.error('bad_operator', lambda: Pet.all().filter('name ~', 'Rex').fetch(5))
