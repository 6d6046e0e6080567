"""TimeProperty range filter and order; times read back as time objects."""
import datetime

from google.appengine.ext import db


class Slot(db.Model):
    at = db.TimeProperty()


def run(observe):
    db.put([Slot(key_name='s%d' % h, at=datetime.time(h, 15)) for h in (8, 12, 17)])
    q = Slot.all().filter('at >', datetime.time(9, 0)).order('at')
    observe('after9', [s.at for s in q])
