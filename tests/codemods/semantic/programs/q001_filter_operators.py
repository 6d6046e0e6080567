"""Query filters with every operator, a bare property name meaning '='."""
from google.appengine.ext import db


class Score(db.Model):
    player = db.StringProperty()
    points = db.IntegerProperty()


def names(q):
    return sorted(s.player for s in q)


def run(observe):
    db.put([Score(key_name=p, player=p, points=n) for p, n in (('ann', 10), ('bob', 20), ('cid', 30), ('dan', 20))])
    observe('eq', names(Score.all().filter('points =', 20)))
    observe('eqeq', names(Score.all().filter('points ==', 20)))
    observe('bare', names(Score.all().filter('points', 10)))
    observe('lt', names(Score.all().filter('points <', 20)))
    observe('le', names(Score.all().filter('points <=', 20)))
    observe('gt', names(Score.all().filter('points >', 20)))
    observe('ge', names(Score.all().filter('points >=', 20)))
    observe('range', names(Score.all().filter('points >', 10).filter('points <', 30)))
    observe('two_props', names(Score.all().filter('points =', 20).filter('player =', 'dan')))
