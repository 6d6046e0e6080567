"""Entities loaded twice: key equality, entity attributes, key hashing in dicts and sets."""
from google.appengine.ext import db


class Tag(db.Model):
    label = db.StringProperty()


def run(observe):
    for name in ('b', 'a', 'c'):
        Tag(key_name=name, label=name.upper()).put()
    first = Tag.get_by_key_name('a')
    second = Tag.get_by_key_name('a')
    observe('keys_equal', first.key() == second.key())
    by_key = dict((t.key(), t.label) for t in Tag.all())
    observe('lookup', by_key[db.Key.from_path('Tag', 'c')])
    observe('set_size', len(set([first.key(), second.key()])))
    observe('sorted_keys', sorted(t.key() for t in Tag.all()))
