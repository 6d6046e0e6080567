"""DB006 / DB012: a model class handed on with constructor keywords (assertRaises, partial) is a constructor call."""

from libcst.codemod import CodemodTest

from codemods.rules.db006_entities import EntityMethodsRule
from codemods.rules.db012_references import ReferencesRule

MODELS = """
from google.appengine.ext import db

class Author(db.Model):
    pass

class Book(db.Model):
    author = db.ReferenceProperty(Author)
"""


class HandedOnConstructorTest(CodemodTest):
    TRANSFORM = EntityMethodsRule

    def test_keywords_after_the_class_are_constructor_keywords(self) -> None:
        before = MODELS + """
def f(test, k):
    test.assertRaises(db.BadValueError, Book, key_name='__x__')
    test.assertRaises(db.BadArgumentError, Book, key=k, key_name='x')
    return sorted([3, 1], key=len)
"""
        after = MODELS + """
def f(test, k):
    test.assertRaises(db.BadValueError, Book, id='__x__')
    test.assertRaises(db.BadArgumentError, Book, key=k, id='x')
    return sorted([3, 1], key=len)
"""
        self.assertCodemod(before, after)


class HandedOnReferenceTest(CodemodTest):
    TRANSFORM = ReferencesRule

    def test_entity_for_a_reference_becomes_its_key_if_of_the_referenced_class(self) -> None:
        # p015: an entity of another class (or one never put) stays an entity, so ndb_legacy.ReferenceProperty
        # raises KindError (BadValueError) as db did; its key alone would be taken (db took keys of any kind)
        before = MODELS + """
def f(test):
    test.assertRaises(db.KindError, Book, author=Book(key_name='x'))
    test.assertRaises(db.BadValueError, Book, author=Author())
    return Book(author=Author(key_name='a'))
"""
        after = MODELS + """
def f(test):
    test.assertRaises(db.KindError, Book, author=Book(key_name='x'))
    test.assertRaises(db.BadValueError, Book, author=Author())
    return Book(author=Author(key_name='a').key)
"""
        self.assertCodemod(before, after)

    def test_entity_of_another_kind_is_left_for_the_property_to_refuse(self) -> None:
        # db raised KindError for a Book where an Author was expected; ndb_legacy.ReferenceProperty does too,
        # while its key (of any kind, as db allowed) would be taken
        before = MODELS + """
def f(test):
    book, author = Book.get_by_key_name('b'), Author.get_by_key_name('a')
    test.assertRaises(db.KindError, Book, author=Book(key_name='x'))
    book.author = book
    book.author = author
"""
        after = MODELS + """
def f(test):
    book, author = Book.get_by_key_name('b'), Author.get_by_key_name('a')
    test.assertRaises(db.KindError, Book, author=Book(key_name='x'))
    book.author = book
    book.author = author.key
"""
        self.assertCodemod(before, after)
