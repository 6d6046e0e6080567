"""required=True: the constructor refuses a missing value, assignment of None too."""
from google.appengine.ext import db


class Order(db.Model):
    sku = db.StringProperty(required=True)
    qty = db.IntegerProperty(required=True, default=1)


def run(observe):
    observe.error('missing', Order)
    o = Order(sku='A1')
    observe('default', o.qty)
    observe.error('set_none', setattr, o, 'sku', None)
    observe.error('empty_string', Order, sku='')
    o.put()
    observe('stored', Order.all().get())
