"""Looking an entity up by a filter on a reference (key) and on the __key__ of a parent."""
from google.appengine.ext import db


class Customer(db.Model):
    name = db.StringProperty()


class Order(db.Model):
    customer = db.ReferenceProperty(Customer)
    total = db.IntegerProperty()


def run(observe):
    c = Customer(key_name='c', name='C')
    c.put()
    Order(key_name='o1', customer=c, total=10).put()
    Order(key_name='o2', customer=c, total=20).put()
    observe('by_key', sorted(o.total for o in Order.all().filter('customer =', c.key())))
    observe('largest', Order.all().filter('customer =', c).order('-total').get().total)
