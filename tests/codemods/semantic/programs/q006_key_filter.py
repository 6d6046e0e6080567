"""Filters on __key__: equality, ranges over names, and key ordering."""
from google.appengine.ext import db


class Word(db.Model):
    pass


def run(observe):
    db.put([Word(key_name=w) for w in ('apple', 'banana', 'cherry', 'date')])
    k = db.Key.from_path('Word', 'banana')
    observe('eq', [w.key().name() for w in Word.all().filter('__key__ =', k)])
    observe('gt', [w.key().name() for w in Word.all().filter('__key__ >', k)])
    observe('le_desc', [w.key().name() for w in Word.all().filter('__key__ <=', k).order('-__key__')])
