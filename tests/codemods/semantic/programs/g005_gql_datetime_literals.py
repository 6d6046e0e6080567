"""GQL DATETIME()/DATE() literals and datetime parameters."""
import datetime

from google.appengine.ext import db


class Ping(db.Model):
    at = db.DateTimeProperty()


def run(observe):
    db.put([Ping(key_name='p%d' % d, at=datetime.datetime(2012, 1, d, 12)) for d in range(1, 6)])
    q = db.GqlQuery("SELECT * FROM Ping WHERE at > DATETIME('2012-01-03 00:00:00') ORDER BY at")
    observe('literal', [p.key().name() for p in q])
    q = db.GqlQuery('SELECT * FROM Ping WHERE at < :1 ORDER BY at DESC', datetime.datetime(2012, 1, 3))
    observe('param', [p.key().name() for p in q])
