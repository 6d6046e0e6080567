"""Aware datetimes with fixed offsets; filtering with an aware datetime matches the UTC value."""
import datetime

from google.appengine.ext import db


class FixedOffset(datetime.tzinfo):
    def __init__(self, minutes):
        self._offset = datetime.timedelta(minutes=minutes)

    def utcoffset(self, dt):
        return self._offset

    def dst(self, dt):
        return datetime.timedelta(0)

    def tzname(self, dt):
        return 'X'


class Meeting(db.Model):
    at = db.DateTimeProperty()


def run(observe):
    india = FixedOffset(330)
    Meeting(key_name='m', at=datetime.datetime(2013, 5, 5, 10, 0, tzinfo=india)).put()  # tz-trap: deliberate
    observe('back', Meeting.get_by_key_name('m').at)
    observe('filter_naive_utc', [m.key().name() for m in Meeting.all().filter('at =', datetime.datetime(2013, 5, 5, 4, 30))])
    observe('filter_aware', [m.key().name() for m in Meeting.all().filter('at =', datetime.datetime(2013, 5, 5, 10, 0, tzinfo=india))])  # tz-trap: deliberate
    observe('utc_tz', datetime.datetime(2013, 5, 5, 10, 0, tzinfo=datetime.timezone.utc).isoformat())
