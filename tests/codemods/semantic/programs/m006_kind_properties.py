"""Model.kind(), properties(), instance properties and a custom kind() override."""
from google.appengine.ext import db


class UserPref(db.Model):
    theme = db.StringProperty(default='light')
    size = db.IntegerProperty()

    @classmethod
    def kind(cls):
        return 'Prefs'


class Plain(db.Model):
    a = db.StringProperty()
    b = db.TextProperty()


def run(observe):
    observe('plain_kind', Plain.kind())
    observe('custom_kind', UserPref.kind())
    observe('properties', sorted(Plain.properties().keys()))
    u = UserPref(key_name='me')
    u.put()
    observe('stored_kind', u.key().kind())
    observe('instance_kind', u.kind())
    observe('query', [x.theme for x in UserPref.all()])
    observe('prop_types', sorted(type(p).__name__ for p in Plain.properties().values()))
