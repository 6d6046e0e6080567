"""db.delete of an entity, a key, a key string, a list mixing them; Model.delete on a loaded entity."""
from google.appengine.ext import db


class Bin(db.Model):
    pass


def run(observe):
    keys = db.put([Bin(key_name='b%d' % i) for i in range(5)])
    db.delete(Bin.get_by_key_name('b0'))
    db.delete(keys[1])
    db.delete(str(keys[2]))
    Bin.get(keys[3]).delete()
    observe('left', [b.key().name() for b in Bin.all()])
    observe.error('delete_missing', db.delete, db.Key.from_path('Bin', 'nope'))
