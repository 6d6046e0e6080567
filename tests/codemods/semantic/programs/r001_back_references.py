"""ReferenceProperty back-references: collection_name and the default <kind>_set, filtered and ordered."""
from google.appengine.ext import db


class Forum(db.Model):
    name = db.StringProperty()


class Topic(db.Model):
    forum = db.ReferenceProperty(Forum, collection_name='topics')
    title = db.StringProperty()
    replies = db.IntegerProperty(default=0)


class Moderator(db.Model):
    forum = db.ReferenceProperty(Forum)
    name = db.StringProperty()


def run(observe):
    f = Forum(key_name='py', name='Python')
    f.put()
    db.put([Topic(key_name='t%d' % i, forum=f, title='topic %d' % i, replies=i) for i in range(3)])
    Moderator(key_name='m', forum=f, name='mod').put()
    observe('topics', sorted(t.title for t in f.topics))
    observe('ordered', [t.title for t in f.topics.order('-replies')])
    observe('filtered', [t.title for t in f.topics.filter('replies >', 0).order('replies')])
    observe('count', f.topics.count())
    observe('default_set', [m.name for m in f.moderator_set])
