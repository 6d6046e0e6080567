"""count() on filtered, ancestor, keys-only queries; count after delete."""
from google.appengine.ext import db


class Vote(db.Model):
    up = db.BooleanProperty()


def run(observe):
    poll = db.Key.from_path('Poll', 'p')
    db.put([Vote(parent=poll, up=(i % 3 != 0)) for i in range(9)])
    observe('all', Vote.all().count())
    observe('up', Vote.all().filter('up =', True).count())
    observe('ancestor', Vote.all().ancestor(poll).count())
    observe('keys_only', Vote.all(keys_only=True).count())
    db.delete(Vote.all(keys_only=True).filter('up =', False).fetch(10))
    observe('after_delete', Vote.all().count())
