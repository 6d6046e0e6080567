"""References dereferenced in a loop building a listing (the N+1 pattern of old handlers)."""
from google.appengine.ext import db


class User(db.Model):
    nick = db.StringProperty()


class Message(db.Model):
    sender = db.ReferenceProperty(User, collection_name='sent')
    body = db.StringProperty()
    n = db.IntegerProperty()


def listing():
    rows = []
    for m in Message.all().order('n'):
        rows.append('%s: %s' % (m.sender.nick, m.body))
    return rows


def run(observe):
    u1 = User(key_name='u1', nick='ann')
    u2 = User(key_name='u2', nick='bob')
    db.put([u1, u2])
    db.put([Message(sender=u1, body='hi', n=1), Message(sender=u2, body='yo', n=2), Message(sender=u1, body='bye', n=3)])
    observe('listing', listing())
    observe('sent', sorted(m.body for m in u1.sent))
