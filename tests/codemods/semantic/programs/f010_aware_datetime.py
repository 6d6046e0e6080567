"""Family 5: aware datetimes (pytz and zoneinfo) assigned to DateTimeProperty, stored as naive UTC."""
import datetime

import pytz
from google.appengine.ext import db

try:
    from zoneinfo import ZoneInfo
except ImportError:
    ZoneInfo = None


class Event(db.Model):
    name = db.StringProperty()
    starts = db.DateTimeProperty()


def run(observe):
    tokyo = pytz.timezone('Asia/Tokyo')
    e = Event(key_name='e1', name='launch', starts=tokyo.localize(datetime.datetime(2014, 4, 1, 9, 0)))
    observe('in_memory', e.starts)
    e.put()
    observe('read_back', Event.get_by_key_name('e1').starts)
    ny = ZoneInfo('America/New_York')
    e2 = Event(key_name='e2', name='party', starts=datetime.datetime(2014, 7, 4, 21, 30, tzinfo=ny))
    e2.put()
    observe('zoneinfo_back', Event.get_by_key_name('e2').starts)
    e3 = Event(key_name='e3', name='utc', starts=datetime.datetime(2014, 1, 1, tzinfo=pytz.utc))
    e3.put()
    observe('order', [x.name for x in Event.all().order('starts')])
