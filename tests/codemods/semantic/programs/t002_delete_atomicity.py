"""A delete inside a transaction that then fails: nothing is deleted."""
from google.appengine.ext import db


class Slot(db.Model):
    taken = db.BooleanProperty(default=False)


def release_all(keys, fail):
    for k in keys:
        db.delete(k)
    if fail:
        raise ValueError('abort')
    return len(keys)


def run(observe):
    parent = db.Key.from_path('Cal', 'c')
    keys = db.put([Slot(parent=parent, key_name='s%d' % i) for i in range(3)])
    observe.error('failing', db.run_in_transaction, release_all, keys, True)
    observe('still_there', Slot.all().ancestor(parent).count())
    observe('ok', db.run_in_transaction(release_all, keys[:2], False))
    observe('left', [s.key().name() for s in Slot.all().ancestor(parent)])
