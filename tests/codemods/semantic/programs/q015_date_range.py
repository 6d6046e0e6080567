"""Date and datetime range filters, newest first with limit."""
import datetime

from google.appengine.ext import db


class Visit(db.Model):
    at = db.DateTimeProperty()
    day = db.DateProperty()


def run(observe):
    base = datetime.datetime(2011, 1, 1)
    db.put([Visit(key_name='v%d' % i, at=base + datetime.timedelta(days=i), day=(base + datetime.timedelta(days=i)).date())
            for i in range(6)])
    since = base + datetime.timedelta(days=2)
    observe('since', [v.key().name() for v in Visit.all().filter('at >=', since).order('at')])
    observe('latest2', [v.key().name() for v in Visit.all().order('-at').fetch(2)])
    observe('day_eq', [v.key().name() for v in Visit.all().filter('day =', datetime.date(2011, 1, 4))])
