"""get_by_id with an int, a list, a parent; Model.get with a key of another kind."""
from google.appengine.ext import db


class Car(db.Model):
    make = db.StringProperty()


class Boat(db.Model):
    make = db.StringProperty()


def run(observe):
    db.put([Car(key=db.Key.from_path('Car', 11), make='vw'), Car(key=db.Key.from_path('Car', 12), make='bmw')])
    observe('one', Car.get_by_id(11).make)
    observe('list', [c and c.make for c in Car.get_by_id([12, 13, 11])])
    observe('missing', Car.get_by_id(99))
    observe.error('wrong_kind', Boat.get, db.Key.from_path('Car', 11))
    observe('get_keys', [c.make for c in Car.get([db.Key.from_path('Car', 12)])])
