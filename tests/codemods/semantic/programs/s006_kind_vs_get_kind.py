"""A custom kind() override: entities stored under it, queries and keys use it, class name differs."""
from google.appengine.ext import db


class LegacyName(db.Model):
    v = db.IntegerProperty()

    @classmethod
    def kind(cls):
        return 'OldKind'


def run(observe):
    LegacyName(key_name='x', v=1).put()
    observe('key', LegacyName.get_by_key_name('x').key())
    observe('from_path_get', LegacyName.get(db.Key.from_path('OldKind', 'x')).v)
    observe('gql', [e.v for e in db.GqlQuery('SELECT * FROM OldKind')])
    observe('class_name', LegacyName.__name__)
