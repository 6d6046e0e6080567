"""Deleting everything in a back-reference collection, then counting it."""
from google.appengine.ext import db


class List_(db.Model):
    name = db.StringProperty()


class Entry(db.Model):
    owner = db.ReferenceProperty(List_, collection_name='entries')
    text = db.StringProperty()


def clear(lst):
    db.delete([e.key() for e in lst.entries])


def run(observe):
    l = List_(key_name='todo', name='todo')
    l.put()
    db.put([Entry(owner=l, text=t) for t in ('a', 'b', 'c')])
    observe('before', l.entries.count())
    clear(l)
    observe('after', l.entries.count())
