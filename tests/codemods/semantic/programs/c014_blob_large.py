"""A BlobProperty of 500 KB and a TextProperty of 300 KB round trip intact."""
from google.appengine.ext import db


class Attachment(db.Model):
    data = db.BlobProperty()
    note = db.TextProperty()


def run(observe):
    a = Attachment(key_name='a', data=bytes(bytearray(range(256))) * 2000, note=u'\u00e9' * 150000)
    a.put()
    back = Attachment.get_by_key_name('a')
    observe('sizes', (len(back.data), len(back.note)))
    observe('same', back.data == a.data and back.note == a.note)
