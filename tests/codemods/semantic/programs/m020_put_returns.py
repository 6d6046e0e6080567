"""What put() returns: a key for one entity, a list of keys for db.put(list); entity.key() afterwards."""
from google.appengine.ext import db


class Note(db.Model):
    t = db.StringProperty()


def run(observe):
    k = Note(key_name='a', t='a').put()
    observe('single', k)
    ks = db.put([Note(key_name='b', t='b'), Note(key_name='c', t='c')])
    observe('list', ks)
    one = db.put(Note(key_name='d', t='d'))
    observe('db_put_single', one)
    observe('empty', db.put([]))
