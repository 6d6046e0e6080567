"""Property names that legacy refuses when the class is defined: reserved words and duplicate stored names."""
from google.appengine.ext import db


def define_reserved():
    class Bad(db.Model):
        key_name = db.StringProperty()
    return Bad


def define_duplicate():
    class Dup(db.Model):
        a = db.StringProperty(name='x')
        b = db.StringProperty(name='x')
    return Dup


def run(observe):
    observe.error('reserved', lambda: define_reserved().__name__)
    observe.error('duplicate', lambda: define_duplicate().__name__)
