"""key_names legacy refuses: names starting and ending with two underscores."""
from google.appengine.ext import db


class Thing(db.Model):
    pass


def run(observe):
    observe.error('dunder', Thing, key_name='__x__')
    observe.error('ok_single', lambda: Thing(key_name='_x_').key().name())
