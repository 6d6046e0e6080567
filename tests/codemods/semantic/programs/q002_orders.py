"""Sort orders: ascending, descending, two properties, inequality then order."""
from google.appengine.ext import db


class Song(db.Model):
    artist = db.StringProperty()
    year = db.IntegerProperty()
    title = db.StringProperty()


def titles(q):
    return [s.title for s in q]


def run(observe):
    db.put([Song(key_name=t, artist=a, year=y, title=t) for a, y, t in (
        ('b', 1990, 't1'), ('a', 1995, 't2'), ('b', 1985, 't3'), ('a', 1990, 't4'))])
    observe('year_asc', titles(Song.all().order('year').order('title')))
    observe('year_desc', titles(Song.all().order('-year').order('title')))
    observe('artist_then_year', titles(Song.all().order('artist').order('-year')))
    observe('ineq_order', titles(Song.all().filter('year >', 1985).order('year').order('title')))
    observe('key_order', titles(Song.all().order('__key__')))
    observe('key_desc', titles(Song.all().order('-__key__')))
