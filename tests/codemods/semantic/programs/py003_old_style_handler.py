# python2
"""A Python 2 request helper: string keys from a path, dict building, sorted with a key function, map/filter."""
from google.appengine.ext import db


class Product(db.Model):
    name = db.StringProperty()
    price = db.IntegerProperty()


def by_price(p):
    return p.price


def handle(path):
    key = path.split('/')[-1]
    p = Product.get(key)
    return dict(name=p.name, price=p.price)


def run(observe):
    keys = db.put([Product(key_name=n, name=n, price=pr) for n, pr in (('pen', 3), ('ink', 5), ('pad', 1))])
    observe('handle', sorted(handle('/product/' + str(keys[1])).items()))
    products = sorted(Product.all().fetch(10), key=by_price)
    observe('sorted', map(lambda p: p.name, products))
    observe('cheap', [p.name for p in filter(lambda p: p.price < 4, products)])
