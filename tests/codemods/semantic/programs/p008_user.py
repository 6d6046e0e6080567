"""UserProperty: users.User values, email() and nickname(), filter by user."""
from google.appengine.api import users
from google.appengine.ext import db


class Comment(db.Model):
    author = db.UserProperty()
    text = db.StringProperty()


def run(observe):
    ann = users.User('ann@example.com')
    Comment(key_name='c1', author=ann, text='hi').put()
    back = Comment.get_by_key_name('c1')
    observe('email', back.author.email())
    observe('nickname', back.author.nickname())
    observe.error('from_str', Comment, author='ann@example.com')
