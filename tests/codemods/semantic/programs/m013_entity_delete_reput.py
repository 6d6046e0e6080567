"""delete() an entity, put() it again; the same key comes back."""
from google.appengine.ext import db


class Memo(db.Model):
    text = db.StringProperty()


def run(observe):
    m = Memo(text='x')
    k = m.put()
    m.delete()
    observe('gone', Memo.get(k))
    k2 = m.put()
    observe('same_key', k == k2)
    observe('back', Memo.get(k2).text)
    observe.error('delete_unsaved', Memo(text='y').delete)
