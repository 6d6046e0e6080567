"""Expando dynamic values of every common type, lists included, read back with their types."""
import datetime

from google.appengine.ext import db


class Bag(db.Expando):
    pass


def run(observe):
    b = Bag(key_name='b')
    b.i = 1
    b.f = 2.5
    b.s = u'text'
    b.flag = True
    b.when = datetime.datetime(2010, 10, 10, 10, 10)
    b.nums = [1, 2, 3]
    b.words = ['x', 'y']
    b.ref = db.Key.from_path('Other', 'o')
    b.put()
    back = Bag.get_by_key_name('b')
    observe('entity', back)
    observe('types', sorted((n, type(getattr(back, n)).__name__) for n in back.dynamic_properties()))
    observe('query_list', [x.key().name() for x in Bag.all().filter('nums =', 2)])
