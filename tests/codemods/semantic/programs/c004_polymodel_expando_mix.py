"""A PolyModel subclass whose instances are listed with their class names, root-ordered by name."""
from google.appengine.ext import db
from google.appengine.ext.db import polymodel


class Vehicle(polymodel.PolyModel):
    name = db.StringProperty()


class Car(Vehicle):
    doors = db.IntegerProperty()


class Bike(Vehicle):
    gears = db.IntegerProperty()


def run(observe):
    db.put([Car(name='beetle', doors=2), Bike(name='bmx', gears=1), Car(name='volvo', doors=4)])
    observe('listing', [(v.name, v.class_name()) for v in Vehicle.all().order('name')])
    observe('cars', [v.name for v in Car.all().order('-doors')])
    observe('class_list', Vehicle.all().filter('name =', 'bmx').get().class_key())
