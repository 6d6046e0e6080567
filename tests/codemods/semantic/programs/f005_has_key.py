"""Family 2: has_key() on new, named and saved entities."""
from google.appengine.ext import db


class Doc(db.Model):
    body = db.StringProperty()


def run(observe):
    d = Doc(body='x')
    observe('new', d.has_key())
    d.put()
    observe('saved', d.has_key())
    observe('named', Doc(key_name='n1').has_key())
    observe('with_parent', Doc(parent=d, body='child').has_key())
