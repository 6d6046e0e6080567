"""Naive datetimes pass through; DateProperty with a datetime refused; DateTimeProperty with a date refused."""
import datetime

from google.appengine.ext import db


class Entry(db.Model):
    when = db.DateTimeProperty()
    day = db.DateProperty()


def run(observe):
    e = Entry(key_name='e', when=datetime.datetime(2012, 12, 21, 23, 59, 59, 999999))
    e.put()
    observe('micro', Entry.get_by_key_name('e').when)
    observe.error('date_into_datetime', Entry, when=datetime.date(2012, 12, 21))
    observe.error('datetime_into_date', Entry, day=datetime.datetime(2012, 12, 21))
    observe('unset', (Entry(key_name='u').when, Entry(key_name='u').day))
