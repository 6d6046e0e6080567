"""Family 3: an entity used as a filter value and as a GQL parameter (legacy turned it into its key)."""
from google.appengine.ext import db


class Category(db.Model):
    name = db.StringProperty()


class Entry(db.Model):
    title = db.StringProperty()
    category = db.ReferenceProperty(Category)
    cats = db.ListProperty(db.Key)

    def siblings(self):
        return Entry.all().filter('category =', self.category).filter('title !=', self.title)


def run(observe):
    news = Category(key_name='news', name='News')
    news.put()
    tech = Category(key_name='tech', name='Tech')
    tech.put()
    Entry(key_name='e1', title='one', category=news, cats=[news.key()]).put()
    Entry(key_name='e2', title='two', category=news, cats=[news.key(), tech.key()]).put()
    Entry(key_name='e3', title='three', category=tech, cats=[tech.key()]).put()
    observe('by_entity', sorted(e.title for e in Entry.all().filter('category =', news)))
    observe('list_by_entity', sorted(e.title for e in Entry.all().filter('cats =', tech)))
    observe('gql_param', sorted(e.title for e in db.GqlQuery('SELECT * FROM Entry WHERE category = :1', tech)))
    observe('gql_named', sorted(e.title for e in Entry.gql('WHERE category = :c', c=news)))
    e1 = Entry.get_by_key_name('e1')
    observe('siblings', [e.title for e in e1.siblings()])
