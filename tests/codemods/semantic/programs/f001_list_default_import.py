"""Family 1: ListProperty / StringListProperty with default= and required= (ndb refuses at import)."""
from google.appengine.ext import db


class Profile(db.Model):
    tags = db.StringListProperty(default=['new'])
    scores = db.ListProperty(int, default=[1, 2])
    roles = db.ListProperty(str, required=True)


def run(observe):
    p = Profile(roles=['admin'])
    observe('defaults', (p.tags, p.scores, p.roles))
    p.put()
    back = db.get(p.key())
    observe('stored', back)
    observe('empty_roles', lambda: None)
    observe.error('required_missing', Profile)
