"""BlobProperty and ByteStringProperty: bytes in, bytes out, ByteString filterable."""
from google.appengine.ext import db


class File(db.Model):
    data = db.BlobProperty()
    digest = db.ByteStringProperty()


def run(observe):
    f = File(key_name='f', data=b'\x00\x01\xff' * 10, digest=b'dead')
    f.put()
    back = File.get_by_key_name('f')
    observe('data', back.data)
    observe('digest', back.digest)
    observe('filter_bytestring', [x.key().name() for x in File.all().filter('digest =', b'dead')])
    observe.error('blob_from_str', File, data=u'text')
    observe.error('bytestring_too_long', File, digest=b'x' * 1501)
