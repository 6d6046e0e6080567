"""dt.replace(tzinfo=pytz zone) gives the zone's LMT offset on legacy too; what gets stored."""
import datetime

import pytz
from google.appengine.ext import db


class Alarm(db.Model):
    ring = db.DateTimeProperty()


def run(observe):
    jst = pytz.timezone('Asia/Tokyo')
    local = datetime.datetime(2014, 2, 2, 9, 0).replace(tzinfo=jst)  # tz-trap: deliberate
    observe('offset', str(local.utcoffset()))
    Alarm(key_name='a', ring=local).put()
    observe('stored', Alarm.get_by_key_name('a').ring)
    localized = jst.localize(datetime.datetime(2014, 2, 2, 9, 0))
    Alarm(key_name='b', ring=localized).put()
    observe('localized', Alarm.get_by_key_name('b').ring)
