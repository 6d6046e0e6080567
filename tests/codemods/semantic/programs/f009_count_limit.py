"""Family 4: count() with limits, fetch(0), limit 0 and offsets."""
from google.appengine.ext import db


class Hit(db.Model):
    n = db.IntegerProperty()


def run(observe):
    db.put([Hit(n=i) for i in range(12)])
    observe('count', Hit.all().count())
    observe('count_limit', Hit.all().count(5))
    observe('count_kw', Hit.all().count(limit=3))
    observe('count_filtered', Hit.all().filter('n >=', 10).count(100))
    observe('fetch0', Hit.all().fetch(0))
    observe('fetch_limit_offset', [h.n for h in Hit.all().order('n').fetch(3, 4)])
    observe('count_zero_limit', Hit.all().count(0))
    observe('offset_past_end', Hit.all().fetch(5, 20))
