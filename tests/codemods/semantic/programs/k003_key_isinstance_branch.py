"""A helper that accepts a key or a string: isinstance(v, db.Key) branches and str(key) inside them."""
from google.appengine.ext import db


class Doc(db.Model):
    title = db.StringProperty()


def as_string(value):
    if isinstance(value, db.Key):
        return str(value)
    if isinstance(value, db.Model):
        return str(value.key())
    return value


def as_key(value):
    if isinstance(value, basestring_types):
        return db.Key(value)
    return value


basestring_types = (str,)


def run(observe):
    d = Doc(key_name='d1', title='T')
    d.put()
    observe('from_key', as_string(d.key()))
    observe('from_entity', as_string(d))
    observe('from_str', as_string(as_string(d)))
    observe('to_key', as_key(as_string(d)))
    observe('same', as_key(as_string(d)) == d.key())
