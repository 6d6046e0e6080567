"""GQL on a ReferenceProperty with an entity, a key, and a KEY() string literal."""
from google.appengine.ext import db


class Club(db.Model):
    pass


class Fan(db.Model):
    club = db.ReferenceProperty(Club)


def run(observe):
    c = Club(key_name='fc')
    c.put()
    Fan(key_name='f', club=c).put()
    observe('entity', [f.key().name() for f in db.GqlQuery('SELECT * FROM Fan WHERE club = :1', c)])
    observe('key', [f.key().name() for f in db.GqlQuery('SELECT * FROM Fan WHERE club = :1', c.key())])
    observe('literal', [f.key().name() for f in db.GqlQuery("SELECT * FROM Fan WHERE club = KEY('%s')" % str(c.key()))])
