"""@db.non_transactional inside a transaction writes outside it; is_in_transaction inside both."""
from google.appengine.ext import db


class Audit(db.Model):
    msg = db.StringProperty()


class Thing(db.Model):
    n = db.IntegerProperty()


@db.non_transactional
def log(msg):
    Audit(msg=msg).put()
    return db.is_in_transaction()


def work(key, fail):
    t = db.get(key)
    t.n += 1
    t.put()
    inside = log('touched %s' % key.name())
    if fail:
        raise ValueError('boom')
    return inside


def run(observe):
    k = Thing(key_name='t', n=0).put()
    observe('inside_flag', db.run_in_transaction(work, k, False))
    observe.error('failed', db.run_in_transaction, work, k, True)
    observe('thing', db.get(k).n)
    observe('audits', sorted(a.msg for a in Audit.all()))
