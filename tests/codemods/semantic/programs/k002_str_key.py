"""str(key) is the urlsafe string; db.Key(string) decodes it; round trip through a URL."""
from google.appengine.ext import db


class Item(db.Model):
    name = db.StringProperty()


def url_for(item):
    return '/item/%s' % str(item.key())


def item_from_url(url):
    return Item.get(url.split('/')[-1])


def run(observe):
    i = Item(key_name='lamp', name='Lamp')
    i.put()
    s = str(i.key())
    observe('str', s)
    observe('is_str', isinstance(s, str))
    observe('decoded', db.Key(s))
    observe('round_trip', db.Key(s) == i.key())
    observe('via_url', item_from_url(url_for(i)).name)
    observe('unicode_key', u'%s' % i.key())
