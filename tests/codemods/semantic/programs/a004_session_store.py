"""A session store: key_name from a token, expiry filter, cleanup of expired rows in batches."""
import datetime

from google.appengine.ext import db


class Session(db.Model):
    data = db.BlobProperty()
    expires = db.DateTimeProperty()


def put_session(token, data, expires):
    Session(key_name='s:' + token, data=data, expires=expires).put()


def get_session(token, now):
    s = Session.get_by_key_name('s:' + token)
    if s is None or s.expires < now:
        return None
    return s.data


def cleanup(now):
    keys = Session.all(keys_only=True).filter('expires <', now).fetch(100)
    db.delete(keys)
    return len(keys)


def run(observe):
    now = datetime.datetime(2013, 1, 1, 12)
    put_session('a', b'{"u": 1}', now + datetime.timedelta(hours=1))
    put_session('b', b'{"u": 2}', now - datetime.timedelta(hours=1))
    observe('a', get_session('a', now))
    observe('b', get_session('b', now))
    observe('missing', get_session('zzz', now))
    observe('cleaned', cleanup(now))
    observe('left', [s.key().name() for s in Session.all()])
