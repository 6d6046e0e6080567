"""Tag cloud: StringListProperty counts by per-tag queries, IN over tags, sorted output."""
from google.appengine.ext import db


class Bookmark(db.Model):
    url = db.LinkProperty()
    tags = db.StringListProperty()


def cloud(tags):
    return dict((t, Bookmark.all().filter('tags =', t).count()) for t in tags)


def run(observe):
    db.put([Bookmark(url='http://a.com/', tags=['py', 'web']), Bookmark(url='http://b.com/', tags=['py']),
            Bookmark(url='http://c.com/', tags=['go', 'web'])])
    observe('cloud', sorted(cloud(['py', 'web', 'go', 'rust']).items()))
    observe('any', sorted(b.url for b in Bookmark.all().filter('tags IN', ['go', 'py'])))
