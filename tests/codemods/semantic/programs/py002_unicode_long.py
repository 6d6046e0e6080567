# python2
"""Python 2 types: unicode(), long literals, basestring checks, xrange."""
from google.appengine.ext import db


class Label(db.Model):
    text = db.StringProperty()
    big = db.IntegerProperty()


def run(observe):
    for i in xrange(3):
        Label(key_name='l%d' % i, text=unicode('label %d' % i), big=10L ** 12 + i).put()
    l = Label.get_by_key_name('l1')
    observe('text', l.text)
    observe('is_text', isinstance(l.text, basestring))
    observe('big', l.big)
    observe('sum', sum(x.big for x in Label.all()) - 3 * 10L ** 12)
