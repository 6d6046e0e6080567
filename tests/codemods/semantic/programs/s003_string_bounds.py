"""StringProperty length limit (1500 bytes, counted in UTF-8), ByteString and Text without limit."""
from google.appengine.ext import db


class Title(db.Model):
    t = db.StringProperty()
    body = db.TextProperty()


def run(observe):
    observe.error('exactly_1500', lambda: len(Title(t='a' * 1500).t))
    observe.error('over_1500', Title, t='a' * 1501)
    observe.error('utf8_over', Title, t=u'\u00e9' * 751)
    observe.error('text_big', lambda: len(Title(body='a' * 100000).body))
