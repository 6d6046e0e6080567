"""ReferenceProperty: dereference on access, assignment of an entity or a key, None."""
from google.appengine.ext import db


class Author(db.Model):
    name = db.StringProperty()


class Book(db.Model):
    title = db.StringProperty()
    author = db.ReferenceProperty(Author)


def run(observe):
    a = Author(key_name='le', name='Le Guin')
    a.put()
    b = Book(key_name='b1', title='Earthsea', author=a)
    b.put()
    back = Book.get_by_key_name('b1')
    observe('author_name', back.author.name)
    observe('author_key', Book.author.get_value_for_datastore(back))
    b2 = Book(key_name='b2', title='Lathe', author=a.key())
    b2.put()
    observe('by_key', Book.get_by_key_name('b2').author.name)
    observe('none', Book(title='anon').author)
    observe.error('wrong_kind', Book, author=Book(key_name='x', title='t'))
