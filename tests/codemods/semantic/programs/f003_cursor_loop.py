"""Family 2: q.cursor() / q.with_cursor(c), also inside a for loop, paging through a kind."""
from google.appengine.ext import db


class Item(db.Model):
    rank = db.IntegerProperty()


def page(cursor=None, size=3):
    q = Item.all().order('rank')
    if cursor:
        q.with_cursor(cursor)
    items = q.fetch(size)
    return [i.rank for i in items], q.cursor()


def run(observe):
    db.put([Item(key_name='i%02d' % n, rank=n) for n in range(8)])
    first, c1 = page()
    observe('first', first)
    observe('cursor_type', type(c1).__name__)
    second, c2 = page(c1)
    observe('second', second)
    third, c3 = page(c2)
    observe('third', third)
    seen = []
    q = Item.all().order('-rank')
    for item in q.with_cursor(c1):
        seen.append(item.rank)
    observe('loop_from_cursor', seen)
    q2 = Item.all().order('rank')
    for item in q2.run(limit=2):
        pass
    observe('run_then_cursor', [i.rank for i in Item.all().order('rank').with_cursor(q2.cursor()).fetch(2)])
