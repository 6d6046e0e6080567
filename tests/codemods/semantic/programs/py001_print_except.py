# python2
"""Python 2 handler code: print statements, except E, e, dict.has_key, iteritems."""
from google.appengine.ext import db


class Visitor(db.Model):
    ip = db.StringProperty()
    hits = db.IntegerProperty(default=0)


def hit(ip):
    v = Visitor.get_by_key_name(ip)
    if v is None:
        v = Visitor(key_name=ip, ip=ip)
    v.hits += 1
    v.put()
    print "hit", ip, v.hits
    return v.hits


def run(observe):
    for ip in ['1.1.1.1', '2.2.2.2', '1.1.1.1']:
        hit(ip)
    counts = {}
    for v in Visitor.all():
        counts[v.ip] = v.hits
    observe('has_key', counts.has_key('1.1.1.1'))
    observe('items', sorted((k, n) for k, n in counts.iteritems()))
    try:
        Visitor(hits='many')
    except db.BadValueError, e:
        observe('caught', 'BadValueError')
