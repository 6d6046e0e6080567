"""Undecodable key strings from URLs: BadKeyError / BadArgumentError, caught like legacy handlers did."""
from google.appengine.ext import db


class Post(db.Model):
    title = db.StringProperty()


def lookup(encoded):
    try:
        return Post.get(encoded)
    except (db.BadKeyError, db.BadArgumentError):
        return 'bad key'


def run(observe):
    p = Post(key_name='p', title='x')
    p.put()
    observe('good', lookup(str(p.key())).title)
    observe('garbage', lookup('garbage!!'))
    observe('truncated', lookup(str(p.key())[:10]))
    observe.error('key_garbage', db.Key, 'not-a-key')
    observe.error('key_empty', db.Key, '')
