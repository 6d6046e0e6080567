"""Projection queries: projection=(...), distinct=True, values of projected properties."""
from google.appengine.ext import db


class Sale(db.Model):
    region = db.StringProperty()
    amount = db.IntegerProperty()


def run(observe):
    db.put([Sale(key_name='s%d' % i, region=r, amount=a) for i, (r, a) in enumerate(
        [('eu', 5), ('us', 7), ('eu', 9), ('asia', 7)])])
    q = Sale.all(projection=('region',)).order('region')
    observe('regions', [s.region for s in q])
    q = Sale.all(projection=('region',), distinct=True).order('region')
    observe('distinct', [s.region for s in q])
    q = db.Query(Sale, projection=('amount', 'region')).filter('amount >', 6).order('amount').order('region')
    observe('two', [(s.amount, s.region) for s in q])
