"""get_or_insert with parent= and a key_name colliding with an unrelated kind's."""
from google.appengine.ext import db


class Profile(db.Model):
    bio = db.StringProperty()


class Account(db.Model):
    pass


def run(observe):
    acct = Account(key_name='u1')
    acct.put()
    p = Profile.get_or_insert('u1', parent=acct, bio='hi')
    observe('key', p.key())
    observe('without_parent', Profile.get_by_key_name('u1'))
    observe('with_parent', Profile.get_by_key_name('u1', parent=acct).bio)
