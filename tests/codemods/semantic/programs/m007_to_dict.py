"""db.to_dict(entity): every property, no key."""
import datetime

from google.appengine.ext import db


class Person(db.Model):
    name = db.StringProperty()
    age = db.IntegerProperty()
    born = db.DateProperty()
    tags = db.StringListProperty()


def run(observe):
    p = Person(key_name='ann', name='Ann', age=31, born=datetime.date(1983, 2, 1), tags=['x'])
    p.put()
    observe('dict', db.to_dict(Person.get_by_key_name('ann')))
    observe('unsaved', db.to_dict(Person(name='Bob')))
