"""Filtering on None values, on list properties with two equality filters, and IN with one item."""
from google.appengine.ext import db


class Recipe(db.Model):
    tags = db.StringListProperty()
    chef = db.StringProperty()


def run(observe):
    db.put([Recipe(key_name='a', tags=['veg', 'quick'], chef='ann'), Recipe(key_name='b', tags=['veg'], chef=None),
            Recipe(key_name='c', tags=['meat', 'quick'])])
    observe('none_chef', sorted(r.key().name() for r in Recipe.all().filter('chef =', None)))
    observe('veg_and_quick', [r.key().name() for r in Recipe.all().filter('tags =', 'veg').filter('tags =', 'quick')])
    observe('in_one', sorted(r.key().name() for r in Recipe.all().filter('tags IN', ['meat'])))
    observe('in_empty', [r.key().name() for r in Recipe.all().filter('tags IN', [])])
