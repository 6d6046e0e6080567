"""Family 3: comparing entity keys to decide ownership; sorting entities by key."""
from google.appengine.ext import db


class Owner(db.Model):
    pass


class Item(db.Model):
    owner = db.ReferenceProperty(Owner)


def owned_by(item, owner):
    return Item.owner.get_value_for_datastore(item) == owner.key()


def run(observe):
    a, b = Owner(key_name='a'), Owner(key_name='b')
    db.put([a, b])
    i = Item(key_name='i', owner=a)
    i.put()
    observe('owned_a', owned_by(i, a))
    observe('owned_b', owned_by(i, b))
    observe('sorted', [o.key().name() for o in sorted([b, a], key=lambda o: o.key())])
    observe('key_ne', a.key() != b.key())
