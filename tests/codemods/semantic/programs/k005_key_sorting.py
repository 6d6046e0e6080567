"""Comparing and sorting keys: ids before names, parents first, kinds by name."""
from google.appengine.ext import db


def run(observe):
    keys = [
        db.Key.from_path('B', 'x'),
        db.Key.from_path('A', 5),
        db.Key.from_path('A', 'a'),
        db.Key.from_path('A', 2),
        db.Key.from_path('A', 'a', 'C', 1),
    ]
    observe('sorted', sorted(keys))
    observe('lt', db.Key.from_path('A', 2) < db.Key.from_path('A', 5))
    observe('id_vs_name', db.Key.from_path('A', 99) < db.Key.from_path('A', 'a'))
    observe('max', max(keys))
