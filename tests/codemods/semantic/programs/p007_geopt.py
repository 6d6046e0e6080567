"""GeoPtProperty: GeoPt values, strings refused, bounds validated."""
from google.appengine.ext import db


class Place(db.Model):
    where = db.GeoPtProperty()


def run(observe):
    Place(key_name='tokyo', where=db.GeoPt(35.68, 139.69)).put()
    back = Place.get_by_key_name('tokyo')
    observe('where', back.where)
    observe('lat', back.where.lat)
    observe.error('from_string', lambda: Place(where=db.GeoPt('10.5,20.25')).where)
    observe.error('bad_lat', db.GeoPt, 91, 0)
    observe.error('plain_str', Place, where='10,20')
