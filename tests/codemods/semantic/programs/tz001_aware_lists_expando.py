"""Aware datetimes in a ListProperty(datetime) and in an Expando attribute: stored as naive UTC."""
import datetime

import pytz
from google.appengine.ext import db


class Schedule(db.Model):
    slots = db.ListProperty(datetime.datetime)


class Free(db.Expando):
    pass


def run(observe):
    paris = pytz.timezone('Europe/Paris')
    s = Schedule(key_name='s', slots=[paris.localize(datetime.datetime(2015, 6, 1, 10)),
                                      datetime.datetime(2015, 6, 1, 12)])
    s.put()
    observe('slots', Schedule.get_by_key_name('s').slots)
    f = Free(key_name='f')
    f.at = pytz.timezone('Asia/Tokyo').localize(datetime.datetime(2015, 1, 1, 9))
    f.put()
    observe('expando', Free.get_by_key_name('f').at)
