"""PolyModel entities as reference targets and in ancestor queries."""
from google.appengine.ext import db
from google.appengine.ext.db import polymodel


class Party(polymodel.PolyModel):
    name = db.StringProperty()


class Person(Party):
    pass


class Company(Party):
    pass


class Invoice(db.Model):
    to = db.ReferenceProperty(Party, collection_name='invoices')
    total = db.IntegerProperty()


def run(observe):
    acme = Company(key_name='acme', name='ACME')
    ann = Person(key_name='ann', name='Ann')
    db.put([acme, ann])
    db.put([Invoice(to=acme, total=5), Invoice(to=ann, total=7), Invoice(to=acme, total=9)])
    observe('acme_totals', sorted(i.total for i in acme.invoices))
    inv = Invoice.all().filter('total =', 7).get()
    observe('target_type', type(inv.to).__name__)
    observe('target_name', inv.to.name)
