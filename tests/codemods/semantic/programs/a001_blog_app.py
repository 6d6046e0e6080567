"""A small blog module of 2011: models with references, a listing handler, a paging helper."""
import datetime

from google.appengine.ext import db


class Author(db.Model):
    name = db.StringProperty(required=True)
    email = db.EmailProperty()


class Post(db.Model):
    author = db.ReferenceProperty(Author, collection_name='posts')
    title = db.StringProperty(required=True)
    body = db.TextProperty()
    tags = db.StringListProperty()
    published = db.DateTimeProperty()
    draft = db.BooleanProperty(default=True)


def publish(post, when):
    post.published = when
    post.draft = False
    post.put()


def recent(limit=10):
    return Post.all().filter('draft =', False).order('-published').fetch(limit)


def by_tag(tag):
    return [p.title for p in Post.all().filter('tags =', tag).filter('draft =', False).order('-published')]


def run(observe):
    ann = Author(key_name='ann', name='Ann', email='ann@example.com')
    ann.put()
    base = datetime.datetime(2011, 3, 1)
    for i in range(4):
        p = Post(author=ann, key_name='p%d' % i, title='Post %d' % i, tags=['t%d' % (i % 2), 'all'])
        p.put()
        if i != 2:
            publish(p, base + datetime.timedelta(days=i))
    observe('recent', [p.title for p in recent()])
    observe('tag', by_tag('t1'))
    observe('authors', [p.author.name for p in recent(2)])
    observe('ann_posts', ann.posts.count())
    observe('drafts', [p.title for p in Post.all().filter('draft =', True)])
