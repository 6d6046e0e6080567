"""str(key) used in string formatting, joins and comparisons of old handler code."""
from google.appengine.ext import db


class Cart(db.Model):
    owner = db.StringProperty()


def link(cart):
    return '<a href="/cart/%s">%s</a>' % (cart.key(), cart.owner)


def run(observe):
    c = Cart(key_name='c1', owner='ann')
    c.put()
    html = link(c)
    observe('html_contains_key', str(c.key()) in html)
    observe('starts', html.startswith('<a href="/cart/ag'))
    observe('joined', ','.join([str(c.key()), 'x']).endswith(',x'))
    observe('repr_not_str', repr(c.key()) != str(c.key()))
