"""64-bit bounds for IntegerProperty and for ints in a ListProperty(int)."""
from google.appengine.ext import db


class Big(db.Model):
    n = db.IntegerProperty()
    ns = db.ListProperty(int)


def run(observe):
    observe.error('min', lambda: Big(n=-2 ** 63).n)
    observe.error('below_min', Big, n=-2 ** 63 - 1)
    observe.error('list_ok', lambda: Big(ns=[2 ** 63 - 1]).ns)
    b = Big(key_name='b', n=2 ** 63 - 1)
    b.put()
    observe('stored_max', Big.get_by_key_name('b').n == 2 ** 63 - 1)
    observe.error('list_too_big_put', lambda: Big(key_name='c', ns=[2 ** 64]).put())
