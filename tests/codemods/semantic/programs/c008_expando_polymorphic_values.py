"""Expando attributes that change type between puts; queries see the stored type."""
from google.appengine.ext import db


class Setting(db.Expando):
    pass


def run(observe):
    s = Setting(key_name='s')
    s.value = 5
    s.put()
    s.value = 'five'
    s.put()
    back = Setting.get_by_key_name('s')
    observe('value', back.value)
    observe('by_int', Setting.all().filter('value =', 5).count())
    observe('by_str', Setting.all().filter('value =', 'five').count())
