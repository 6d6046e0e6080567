"""Ancestor + equality + inequality + order in one query; ancestor given as an encoded string."""
from google.appengine.ext import db


class Thread(db.Model):
    pass


class Reply(db.Model):
    n = db.IntegerProperty()
    hidden = db.BooleanProperty(default=False)


def run(observe):
    t = Thread(key_name='t')
    t.put()
    db.put([Reply(parent=t, n=i, hidden=(i == 2)) for i in range(5)])
    q = Reply.all().ancestor(t).filter('hidden =', False).filter('n >', 0).order('n')
    observe('visible', [r.n for r in q])
    observe.error('ancestor_str', lambda: [r.n for r in Reply.all().ancestor(str(t.key())).order('n')])
