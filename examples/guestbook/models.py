# -*- coding: utf-8 -*-
# Datastore models of the bulletin board, written the way 2010 App Engine
# code was. Times are stored as naive Japan wall-clock time, as the old
# GAE/P notes advised for Japan-only services ("Datastoreには日本時間で記録").
import datetime

from google.appengine.ext import db

JST_OFFSET = datetime.timedelta(hours=9)


def jst_now():
    return datetime.datetime.utcnow() + JST_OFFSET


class Author(db.Model):
    nickname = db.StringProperty(required=True)
    joined = db.DateTimeProperty()
    post_count = db.IntegerProperty(default=0)


class Thread(db.Model):
    title = db.StringProperty(required=True)
    author = db.ReferenceProperty(Author, collection_name="threads")
    created = db.DateTimeProperty()
    updated = db.DateTimeProperty()
    post_count = db.IntegerProperty(default=0)


class Post(db.Model):
    thread = db.ReferenceProperty(Thread, collection_name="posts")
    author = db.ReferenceProperty(Author, collection_name="posts")
    body = db.TextProperty()
    date = db.DateTimeProperty()
