# python2
"""Python 2 GQL helpers with % formatting and unicode parameters."""
from google.appengine.ext import db


class Entry(db.Model):
    user = db.StringProperty()
    n = db.IntegerProperty()


def entries_for(user):
    return db.GqlQuery("SELECT * FROM Entry WHERE user = :1 ORDER BY n", unicode(user))


def run(observe):
    for i in range(4):
        Entry(user=u'u%d' % (i % 2), n=i).put()
    observe('u0', [e.n for e in entries_for('u0')])
    print 'count', entries_for('u1').count()
    observe('count', entries_for('u1').count())
