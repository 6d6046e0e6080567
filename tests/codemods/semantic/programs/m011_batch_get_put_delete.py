"""db.get / db.put / db.delete on lists of keys, entities and encoded strings."""
from google.appengine.ext import db


class Box(db.Model):
    n = db.IntegerProperty()


def run(observe):
    keys = db.put([Box(key_name='b%d' % i, n=i) for i in range(5)])
    observe('keys', keys)
    observe('get_list', [b.n for b in db.get(keys[:3])])
    observe('get_with_missing', [b and b.n for b in db.get([keys[0], db.Key.from_path('Box', 'nope')])])
    observe('get_str', db.get(str(keys[4])).n)
    db.delete([keys[0], str(keys[1])])
    boxes = Box.all().order('n').fetch(10)
    db.delete(boxes[0])
    observe('left', [b.n for b in Box.all().order('n')])
    observe('get_by_key_name_list', [b.n if b else None for b in Box.get_by_key_name(['b3', 'b0', 'b4'])])
