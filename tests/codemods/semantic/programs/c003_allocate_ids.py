"""db.allocate_ids: a range of ids, then entities created with allocated ids."""
from google.appengine.ext import db


class Invoice(db.Model):
    total = db.IntegerProperty()


def run(observe):
    first, last = db.allocate_ids(db.Key.from_path('Invoice', 1), 3)
    observe('size', last - first + 1)
    k = db.Key.from_path('Invoice', first)
    Invoice(key=k, total=9).put()
    observe('stored', Invoice.get(k).total)
