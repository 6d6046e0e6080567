"""A reference to a deleted entity: ReferencePropertyResolveError on access, the key still readable."""
from google.appengine.ext import db


class Owner(db.Model):
    name = db.StringProperty()


class Dog(db.Model):
    owner = db.ReferenceProperty(Owner)


def owner_name(dog):
    try:
        return dog.owner.name
    except db.ReferencePropertyResolveError:
        return 'gone'


def run(observe):
    o = Owner(key_name='o', name='Olga')
    o.put()
    Dog(key_name='d', owner=o).put()
    observe('before', owner_name(Dog.get_by_key_name('d')))
    o.delete()
    d = Dog.get_by_key_name('d')
    observe('after', owner_name(d))
    observe('key_still', Dog.owner.get_value_for_datastore(d))
