"""Malformed GQL and unbound parameters: the errors legacy handlers caught."""
from google.appengine.ext import db


class Row(db.Model):
    n = db.IntegerProperty()


def safe(gql, *args):
    try:
        return [r.n for r in db.GqlQuery(gql, *args)]
    except db.BadQueryError:
        return 'bad query'


def run(observe):
    Row(key_name='r', n=1).put()
    observe('ok', safe('SELECT * FROM Row WHERE n = 1'))
    observe('syntax', safe('SELEKT * FROM Row'))
    observe('bad_order', safe('SELECT * FROM Row ORDER n'))
    observe.error('missing_arg', lambda: db.GqlQuery('SELECT * FROM Row WHERE n = :1').fetch(1))
