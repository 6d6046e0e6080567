"""FloatProperty edge values round trip: negative zero, tiny, huge, inf."""
from google.appengine.ext import db


class Measure(db.Model):
    v = db.FloatProperty()


def run(observe):
    vals = [-0.0, 1e-300, 1.7976931348623157e308, float('inf'), float('-inf')]
    db.put([Measure(key_name='m%d' % i, v=v) for i, v in enumerate(vals)])
    observe('back', [Measure.get_by_key_name('m%d' % i).v for i in range(len(vals))])
    observe('ordered', [m.key().name() for m in Measure.all().order('v')])
