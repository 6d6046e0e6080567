"""Legacy model modules shared by several rule tests (each test prepends one to its before/after code)."""

BLOG_MODELS = """
from google.appengine.ext import db

class Blog(db.Model):
    pass

class Post(db.Model):
    pass
"""

POST_MODELS = """
from google.appengine.ext import db

class Post(db.Model):
    title = db.StringProperty(name='t')
    tags = db.StringListProperty()
    created = db.DateTimeProperty()

class Bag(db.Expando):
    pass
"""

REFERENCE_MODELS = """
from google.appengine.ext import db

class Post(db.Model):
    title = db.StringProperty()

class Comment(db.Model):
    post = db.ReferenceProperty(Post, collection_name='comments')
"""
