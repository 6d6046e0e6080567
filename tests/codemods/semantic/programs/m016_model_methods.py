"""Model methods using self.key(), self.is_saved(), classmethod finders; instance properties()."""
from google.appengine.ext import db


class Product(db.Model):
    name = db.StringProperty()
    price = db.IntegerProperty()

    def url(self):
        return '/p/%s' % self.key().name()

    @classmethod
    def cheap(cls, limit):
        return cls.all().filter('price <', limit).order('price')

    def describe(self):
        return '%s (%d)%s' % (self.name, self.price, '' if self.is_saved() else ' *')


def run(observe):
    db.put([Product(key_name='pen', name='Pen', price=3), Product(key_name='cup', name='Cup', price=8)])
    observe('urls', [p.url() for p in Product.all().order('name')])
    observe('cheap', [p.name for p in Product.cheap(5)])
    observe('describe', [Product.get_by_key_name('pen').describe(), Product(name='New', price=1).describe()])
    observe('instance_properties', sorted(Product.get_by_key_name('cup').properties()))
