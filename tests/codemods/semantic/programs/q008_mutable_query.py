"""db queries are mutable: filter()/order() statements change the query in place; helpers narrow it."""
from google.appengine.ext import db


class Job(db.Model):
    state = db.StringProperty()
    prio = db.IntegerProperty()


def only_open(q):
    q.filter('state =', 'open')


def run(observe):
    db.put([Job(key_name='j%d' % i, state=s, prio=p) for i, (s, p) in enumerate(
        [('open', 3), ('done', 1), ('open', 1), ('open', 2)])])
    q = Job.all()
    q.filter('state =', 'open')
    q.order('prio')
    observe('in_place', [j.prio for j in q])
    q2 = Job.all()
    only_open(q2)
    observe('helper', sorted(j.prio for j in q2))
    q3 = Job.all().order('-prio')
    q3.filter('prio <', 3)
    observe('chained_then_statement', [j.prio for j in q3])
