"""Defaults of every common property on a new and a stored entity; None where no default."""
from google.appengine.ext import db


class Settings(db.Model):
    name = db.StringProperty(default='anon')
    level = db.IntegerProperty(default=1)
    ratio = db.FloatProperty(default=0.5)
    active = db.BooleanProperty(default=False)
    notes = db.TextProperty()
    tags = db.StringListProperty()
    when = db.DateTimeProperty()


def run(observe):
    s = Settings()
    observe('new', s)
    s.put()
    observe('stored', Settings.all().get())
