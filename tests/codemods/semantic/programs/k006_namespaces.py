"""Keys and entities in a namespace: from_path(namespace=), queries stay in their namespace."""
from google.appengine.ext import db


class Note(db.Model):
    text = db.StringProperty()


def run(observe):
    k = db.Key.from_path('Note', 'n1', namespace='tenant1')
    Note(key=k, text='in tenant').put()
    Note(key_name='n1', text='default').put()
    observe('key', k)
    observe('ns', k.namespace())
    observe('get', db.get(k).text)
    observe('default_query', [n.text for n in Note.all()])
    observe('default_get', Note.get_by_key_name('n1').text)
    observe('str_round_trip', db.Key(str(k)).namespace())
