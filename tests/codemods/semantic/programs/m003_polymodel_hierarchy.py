"""PolyModel: a three-level hierarchy, queries on the root and subclasses, class_name()."""
from google.appengine.ext import db
from google.appengine.ext.db import polymodel


class Animal(polymodel.PolyModel):
    name = db.StringProperty()


class Mammal(Animal):
    legs = db.IntegerProperty(default=4)


class Cat(Mammal):
    indoor = db.BooleanProperty(default=True)


class Bird(Animal):
    wingspan = db.FloatProperty()


def run(observe):
    db.put([Cat(key_name='tom', name='Tom'), Mammal(key_name='cow', name='Cow'),
            Bird(key_name='owl', name='Owl', wingspan=1.2)])
    observe('all', sorted(a.name for a in Animal.all()))
    observe('mammals', sorted(a.name for a in Mammal.all()))
    observe('cats', [a.name for a in Cat.all()])
    observe('kinds', (Animal.kind(), Cat.kind(), Bird.kind()))
    observe('class_names', (Animal.class_name(), Cat.class_name()))
    tom = Animal.get_by_key_name('tom')
    observe('loaded_type', type(tom).__name__)
    observe('tom', tom)
    observe('class_key', Cat.class_key())
