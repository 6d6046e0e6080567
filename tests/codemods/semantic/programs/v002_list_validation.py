"""ListProperty validation: item types, None items, tuples, and a list of lists."""
from google.appengine.ext import db


class Grid(db.Model):
    cells = db.ListProperty(int)
    names = db.StringListProperty()


def run(observe):
    observe.error('tuple', lambda: Grid(cells=(1, 2)).cells)
    observe.error('nested', Grid, cells=[[1]])
    observe.error('none_item', Grid, cells=[1, None])
    observe.error('bytes_item', Grid, names=[b'x'])
    observe.error('long_item', lambda: Grid(names=['a' * 600]).names[0][:3])
    observe.error('bool_item', lambda: Grid(cells=[True]).cells)
