"""choices= and validator=: legacy calls validator(value) and raises on a bad choice."""
from google.appengine.ext import db


def even(value):
    if value is not None and value % 2:
        raise db.BadValueError('odd: %d' % value)


class Shirt(db.Model):
    size = db.StringProperty(choices=('S', 'M', 'L'))
    count = db.IntegerProperty(validator=even)


def run(observe):
    observe.error('good', lambda: Shirt(size='M', count=2).size)
    observe.error('bad_choice', Shirt, size='XL')
    observe.error('odd', Shirt, count=3)
    s = Shirt(size='S')
    observe.error('assign_bad', setattr, s, 'size', 'XXL')
    observe.error('assign_odd', setattr, s, 'count', 5)
    s.count = 4
    s.put()
    observe('stored', Shirt.all().get())
