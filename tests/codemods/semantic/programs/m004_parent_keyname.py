"""Entity groups: key_name and parent given as an entity or a key; parent() and parent_key()."""
from google.appengine.ext import db


class Blog(db.Model):
    title = db.StringProperty()


class Post(db.Model):
    body = db.StringProperty()


def run(observe):
    blog = Blog(key_name='tech', title='Tech')
    blog.put()
    p1 = Post(parent=blog, key_name='p1', body='first')
    p1.put()
    p2 = Post(parent=blog.key(), key_name='p2', body='second')
    p2.put()
    observe('keys', (p1.key(), p2.key()))
    observe('parent_key', p1.parent_key())
    observe('parent', p2.parent().title)
    observe('by_name_with_parent', Post.get_by_key_name('p2', parent=blog).body)
    observe('without_parent', Post.get_by_key_name('p2'))
    observe('children', [p.body for p in Post.all().ancestor(blog).order('body')])
