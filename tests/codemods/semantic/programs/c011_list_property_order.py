"""Ordering by a list property (legacy uses the smallest value ascending, the largest descending)."""
from google.appengine.ext import db


class Doc(db.Model):
    scores = db.ListProperty(int)


def run(observe):
    db.put([Doc(key_name='a', scores=[5, 1]), Doc(key_name='b', scores=[3]), Doc(key_name='c', scores=[2, 9])])
    observe('asc', [d.key().name() for d in Doc.all().order('scores')])
    observe('desc', [d.key().name() for d in Doc.all().order('-scores')])
