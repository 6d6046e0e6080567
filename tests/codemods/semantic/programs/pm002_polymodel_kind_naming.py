"""PolyModel naming: kind() of a subclass is the root's, class_name() overrides, the class list."""
from google.appengine.ext import db
from google.appengine.ext.db import polymodel


class Shape(polymodel.PolyModel):
    pass


class Circle(Shape):
    r = db.FloatProperty()

    @classmethod
    def class_name(cls):
        return 'Round'


class Square(Shape):
    side = db.FloatProperty()


def run(observe):
    c = Circle(key_name='c', r=1.0)
    c.put()
    observe('kind', (Shape.kind(), Circle.kind(), Square.kind()))
    observe('class_name', Circle.class_name())
    observe('class_key', (Circle.class_key(), Square.class_key()))
    observe('key_kind', c.key().kind())
    observe.error('loaded', lambda: type(Shape.get_by_key_name('c')).__name__)
    observe.error('query', lambda: [type(s).__name__ for s in Circle.all()])
    Square(key_name='sq', side=2.0).put()
    observe('square', type(Shape.get_by_key_name('sq')).__name__)
