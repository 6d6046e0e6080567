"""auto_now values are naive UTC; comparing with an aware now() raises TypeError as in any Python."""
import datetime

from google.appengine.ext import db


class Beat(db.Model):
    seen = db.DateTimeProperty(auto_now=True)


def run(observe):
    b = Beat(key_name='b')
    b.put()
    back = Beat.get_by_key_name('b')
    observe('naive', back.seen.tzinfo is None)
    observe('recent', datetime.datetime.utcnow() - back.seen < datetime.timedelta(minutes=5))
    observe.error('aware_compare', lambda: back.seen < datetime.datetime.now(datetime.timezone.utc))
