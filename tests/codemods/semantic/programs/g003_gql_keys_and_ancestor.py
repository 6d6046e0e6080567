"""GQL with KEY() literals, ANCESTOR IS, SELECT __key__."""
from google.appengine.ext import db


class Shelf(db.Model):
    pass


class Volume(db.Model):
    title = db.StringProperty()


def run(observe):
    shelf = Shelf(key_name='top')
    shelf.put()
    Volume(parent=shelf, key_name='v1', title='A').put()
    Volume(parent=shelf, key_name='v2', title='B').put()
    Volume(key_name='v3', title='C').put()
    q = db.GqlQuery('SELECT * FROM Volume WHERE ANCESTOR IS :1 ORDER BY title', shelf.key())
    observe('ancestor', [v.title for v in q])
    q = db.GqlQuery('SELECT __key__ FROM Volume ORDER BY __key__')
    observe('keys', q.fetch(10))
    q = db.GqlQuery("SELECT * FROM Volume WHERE __key__ = KEY('Volume', 'v3')")
    observe('key_literal', [v.title for v in q])
    q = db.GqlQuery('SELECT * FROM Volume WHERE ANCESTOR IS :1', shelf)
    observe('ancestor_entity', sorted(v.title for v in q))
