"""Expando: None values, empty lists, and dynamic names shadowing nothing."""
from google.appengine.ext import db


class Rec(db.Expando):
    pass


def run(observe):
    r = Rec(key_name='r')
    r.nothing = None
    r.empty = []
    r.put()
    back = Rec.get_by_key_name('r')
    observe('dynamic', sorted(back.dynamic_properties()))
    observe('nothing', getattr(back, 'nothing', 'absent'))
    observe('empty', getattr(back, 'empty', 'absent'))
