"""Query construction errors: ordering an unindexed property, ancestor of a wrong type, filter on a Text."""
from google.appengine.ext import db


class Note(db.Model):
    title = db.StringProperty()
    body = db.TextProperty()


def run(observe):
    Note(key_name='n', title='t', body='b').put()
    observe.error('ancestor_str', lambda: Note.all().ancestor(5))
    observe.error('ancestor_incomplete', lambda: Note.all().ancestor(Note(title='x')))
    observe.error('order_text', lambda: [n.title for n in Note.all().order('body')])
    observe.error('limit_negative', lambda: Note.all().fetch(-1))
