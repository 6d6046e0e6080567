"""BooleanProperty: filters on True/False, None unset, ints refused."""
from google.appengine.ext import db


class Flag(db.Model):
    on = db.BooleanProperty()


def run(observe):
    db.put([Flag(key_name='a', on=True), Flag(key_name='b', on=False), Flag(key_name='c')])
    observe('true', [f.key().name() for f in Flag.all().filter('on =', True)])
    observe('false', [f.key().name() for f in Flag.all().filter('on =', False)])
    observe('none', [f.key().name() for f in Flag.all().filter('on =', None)])
    observe.error('int', Flag, on=1)
