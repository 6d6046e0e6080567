"""Validation at put(): required properties assigned None after construction."""
from google.appengine.ext import db


class Profile(db.Model):
    name = db.StringProperty(required=True)


def run(observe):
    p = Profile(name='x')
    p.put()
    observe.error('assign_none', setattr, p, 'name', None)
    observe('still', Profile.all().get().name)
