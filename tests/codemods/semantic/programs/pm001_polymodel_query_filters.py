"""PolyModel: filters and orders on subclass queries, get_by_key_name on the root returns the subclass."""
from google.appengine.ext import db
from google.appengine.ext.db import polymodel


class Content(polymodel.PolyModel):
    title = db.StringProperty()
    rank = db.IntegerProperty()


class Article(Content):
    body = db.TextProperty()


class Video(Content):
    seconds = db.IntegerProperty()


def run(observe):
    db.put([Article(key_name='a1', title='A1', rank=2, body='x'), Video(key_name='v1', title='V1', rank=1, seconds=30),
            Article(key_name='a2', title='A2', rank=3, body='y')])
    observe('root_ordered', [c.title for c in Content.all().order('rank')])
    observe('articles_desc', [c.title for c in Article.all().order('-rank')])
    observe('video_filter', [c.title for c in Video.all().filter('seconds >', 10)])
    v = Content.get_by_key_name('v1')
    observe('subclass', (type(v).__name__, v.seconds))
    observe('class_prop', v.class_name())
    observe('entity', v)
