"""UserProperty on a model, filter by a User value and compare users."""
from google.appengine.api import users
from google.appengine.ext import db


class Vote(db.Model):
    voter = db.UserProperty()
    up = db.BooleanProperty()


def run(observe):
    a = users.User('a@example.com')
    Vote(key_name='v', voter=a, up=True).put()
    v = Vote.get_by_key_name('v')
    observe('same_user', v.voter == users.User('a@example.com'))
    observe('str', str(v.voter))
