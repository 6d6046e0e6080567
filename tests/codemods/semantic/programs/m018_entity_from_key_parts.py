"""Entities constructed with key= (a full key), then put; conflicting key and key_name refused."""
from google.appengine.ext import db


class Page(db.Model):
    title = db.StringProperty()


def run(observe):
    k = db.Key.from_path('Page', 'home')
    p = Page(key=k, title='Home')
    p.put()
    observe('key', p.key())
    observe('loaded', Page.get(k).title)
    observe.error('key_and_name', Page, key=k, key_name='x')
    observe.error('wrong_kind_key', Page, key=db.Key.from_path('Other', 'o'))
