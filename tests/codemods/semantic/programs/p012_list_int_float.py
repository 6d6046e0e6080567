"""ListProperty(int) and ListProperty(float): filters match any element, item types checked."""
from google.appengine.ext import db


class Series(db.Model):
    points = db.ListProperty(int)
    weights = db.ListProperty(float)


def run(observe):
    db.put([Series(key_name='a', points=[1, 2, 3], weights=[0.5]), Series(key_name='b', points=[3, 4], weights=[])])
    observe('contains_3', sorted(s.key().name() for s in Series.all().filter('points =', 3)))
    observe('gt_3', [s.key().name() for s in Series.all().filter('points >', 3)])
    observe('back', Series.get_by_key_name('b'))
    observe.error('bad_item', Series, points=[1, 'two'])
    observe.error('int_into_float_list', lambda: Series(weights=[1]).weights)
    observe.error('not_a_list', Series, points=5)
