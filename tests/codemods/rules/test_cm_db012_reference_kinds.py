"""DB012 (references): only an entity known to be of the referenced class becomes its key.

Observed on the legacy SDK (tests/codemods/semantic program p015): an entity of another class assigned to a
ReferenceProperty raised KindError, an entity never put BadValueError, while a key of any kind was taken. So
the converted code passes such entities as they are (ndb_legacy.ReferenceProperty checks them as db did);
their `.key` would be taken silently (or be None).
"""

from libcst.codemod import CodemodTest

from codemods.rules.db012_references import ReferencesRule

MODELS = """
from google.appengine.ext import db

class Author(db.Model):
    pass

class Poet(Author):
    pass

class Book(db.Model):
    author = db.ReferenceProperty(Author)
"""


class ReferenceKindsTest(CodemodTest):
    maxDiff = None
    TRANSFORM = ReferencesRule

    def test_assignments_and_constructor_keywords(self) -> None:
        before = MODELS + """
def f(k):
    book = Book.get_by_key_name('x')
    book.author = Author.get_by_key_name('a')
    book.author = Poet.get_by_key_name('p')
    book.author = Book.get_by_key_name('b')
    book.author = Author()
    book.author = Author(key=k)
    return Book(author=Book.get_by_key_name('b')), Book(author=Poet.get_by_key_name('p'))
"""
        after = MODELS + """
def f(k):
    book = Book.get_by_key_name('x')
    book.author = Author.get_by_key_name('a').key
    book.author = Poet.get_by_key_name('p').key
    book.author = Book.get_by_key_name('b')
    book.author = Author()
    book.author = Author(key=k).key
    return Book(author=Book.get_by_key_name('b')), Book(author=Poet.get_by_key_name('p').key)
"""
        self.assertCodemod(before, after)
