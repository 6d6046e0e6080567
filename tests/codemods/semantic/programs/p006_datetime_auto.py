"""auto_now_add and auto_now: unset before the first put, set by put, auto_now moves on each put."""
import datetime

from google.appengine.ext import db


class Log(db.Model):
    created = db.DateTimeProperty(auto_now_add=True)
    updated = db.DateTimeProperty(auto_now=True)
    msg = db.StringProperty()


def run(observe):
    l = Log(msg='a')
    observe('created_before_put_is_none', l.created is None)
    observe('updated_before_put_is_none', l.updated is None)
    l.put()
    observe('created_set', isinstance(l.created, datetime.datetime))
    first = l.updated
    l.msg = 'b'
    l.put()
    observe('updated_moved', l.updated >= first)
    observe('naive', l.created.tzinfo is None)
