"""Cache-aside with memcache in front of the datastore (memcache calls are left alone by the codemod)."""
from google.appengine.api import memcache
from google.appengine.ext import db


class Config(db.Model):
    value = db.StringProperty()


def get_config(name):
    v = memcache.get('cfg:' + name)
    if v is None:
        c = Config.get_by_key_name(name)
        v = c.value if c else 'default'
        memcache.set('cfg:' + name, v)
    return v


def run(observe):
    Config(key_name='theme', value='dark').put()
    observe('first', get_config('theme'))
    Config(key_name='theme', value='light').put()
    observe('cached', get_config('theme'))
    observe('missing', get_config('lang'))
