"""GQL on a list property, booleans, NULL, and != in GQL."""
from google.appengine.ext import db


class Task(db.Model):
    labels = db.StringListProperty()
    done = db.BooleanProperty()
    owner = db.StringProperty()


def run(observe):
    db.put([Task(key_name='t1', labels=['a', 'b'], done=True, owner='x'),
            Task(key_name='t2', labels=['b'], done=False),
            Task(key_name='t3', labels=['c'], done=False, owner='y')])
    observe('label', sorted(t.key().name() for t in db.GqlQuery("SELECT * FROM Task WHERE labels = 'b'")))
    observe('bool', [t.key().name() for t in db.GqlQuery('SELECT * FROM Task WHERE done = TRUE')])
    observe('null', [t.key().name() for t in db.GqlQuery('SELECT * FROM Task WHERE owner = NULL')])
    observe('ne', sorted(t.key().name() for t in db.GqlQuery("SELECT * FROM Task WHERE owner != 'x'")))
