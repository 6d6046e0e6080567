"""Key strings stored in StringProperty, then turned back into keys and fetched."""
from google.appengine.ext import db


class Target(db.Model):
    label = db.StringProperty()


class Pointer(db.Model):
    target_key = db.StringProperty()


def run(observe):
    t = Target(key_name='t', label='here')
    t.put()
    Pointer(key_name='p', target_key=str(t.key())).put()
    p = Pointer.get_by_key_name('p')
    observe('stored', p.target_key)
    observe('follow', db.get(db.Key(p.target_key)).label)
    observe('follow_get', Target.get(p.target_key).label)
