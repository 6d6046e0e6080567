"""get_or_insert: first call creates, second returns the stored entity untouched."""
from google.appengine.ext import db


class Counter(db.Model):
    count = db.IntegerProperty(default=0)
    label = db.StringProperty()


def run(observe):
    c = Counter.get_or_insert('hits', label='Hits', count=5)
    observe('created', (c.count, c.label))
    again = Counter.get_or_insert('hits', label='Other', count=99)
    observe('again', (again.count, again.label))
    observe('key', again.key())
    parent = Counter(key_name='root')
    parent.put()
    child = Counter.get_or_insert('child', parent=parent, count=1)
    observe('child', child.key())
