"""db's first positional argument is verbose_name; name= renames the stored property."""
from google.appengine.ext import db


class Article(db.Model):
    title = db.StringProperty('Title of the article')
    body = db.TextProperty('Body')
    score = db.IntegerProperty(name='s')


def run(observe):
    a = Article(key_name='a1', title='Hi', body='Text', score=3)
    a.put()
    observe('loaded', Article.get_by_key_name('a1'))
    observe('query_by_attr', [x.title for x in Article.all().filter('score =', 3)])
    observe('verbose', Article.title.verbose_name)
