"""DateProperty and TimeProperty: stored as datetimes, read back as date and time."""
import datetime

from google.appengine.ext import db


class Shift(db.Model):
    day = db.DateProperty()
    start = db.TimeProperty()


def run(observe):
    s = Shift(key_name='s', day=datetime.date(2013, 3, 9), start=datetime.time(8, 30))
    s.put()
    back = Shift.get_by_key_name('s')
    observe('day', back.day)
    observe('start', back.start)
    observe('types', (type(back.day).__name__, type(back.start).__name__))
    observe('filter_day', [x.key().name() for x in Shift.all().filter('day =', datetime.date(2013, 3, 9))])
    observe.error('datetime_into_date', Shift, day=datetime.datetime(2013, 3, 9, 10, 0))
    observe.error('date_into_time', Shift, start=datetime.date(2013, 3, 9))
