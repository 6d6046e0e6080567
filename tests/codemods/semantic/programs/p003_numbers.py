"""IntegerProperty and FloatProperty: ints into floats, bools, longs, floats into ints."""
from google.appengine.ext import db


class Stat(db.Model):
    count = db.IntegerProperty()
    mean = db.FloatProperty()


def run(observe):
    observe.error('int_into_float', lambda: Stat(mean=3).mean)
    observe.error('float_into_int', Stat, count=2.5)
    observe.error('bool_into_int', lambda: Stat(count=True).count)
    observe.error('str_into_int', Stat, count='3')
    s = Stat(key_name='s', count=7, mean=1.5)
    s.put()
    back = Stat.get_by_key_name('s')
    observe('back', (back.count, back.mean))
    observe('float_filter', [x.count for x in Stat.all().filter('mean >', 1.0)])
    observe('nan_inf', Stat(mean=float('inf')).mean)
