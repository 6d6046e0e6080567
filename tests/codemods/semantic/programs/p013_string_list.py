"""StringListProperty: empty list stored as nothing, read back []; append and put."""
from google.appengine.ext import db


class Reader(db.Model):
    feeds = db.StringListProperty()


def run(observe):
    r = Reader(key_name='r')
    r.put()
    back = Reader.get_by_key_name('r')
    observe('empty', back.feeds)
    back.feeds.append('news')
    back.feeds.append('tech')
    back.put()
    observe('appended', Reader.get_by_key_name('r').feeds)
    observe('query_empty', [x.key().name() for x in Reader.all().filter('feeds =', 'sports')])
    observe.error('none_in_list', Reader, feeds=['a', None])
