"""compat.ndb_legacy.gql: legacy GQL texts that ndb.gql reads otherwise, against the emulator.

Expected results are what the same queries gave on the legacy SDK (the
differential programs g002, g003, g006, c006 and f013 hold the goldens).
"""

import pytest
from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat import ndb_legacy


class GqlShelf(ndb.Model):
    pass


class GqlBook(ndb.Model):
    title = ndb.StringProperty()
    genre = ndb.StringProperty()
    group = ndb.StringProperty()
    shelf = ndb.KeyProperty()


@pytest.fixture
def books(ndb_context, clean_datastore):
    shelf = GqlShelf(id="top")
    shelf.put()
    ndb.put_multi([
        GqlBook(parent=shelf.key, id="b1", title="A", genre="drama", group="x", shelf=shelf.key),
        GqlBook(parent=shelf.key, id="b2", title="B", genre="comedy"),
        GqlBook(id="b3", title="C", genre="drama"),
    ])
    return shelf


def _titles(query):
    return [b.title for b in query]


def test_ancestor_is_a_key_or_an_entity(books):
    text = "SELECT * FROM GqlBook WHERE ANCESTOR IS :1 ORDER BY title"
    assert _titles(ndb_legacy.gql(text, books.key)) == ["A", "B"]
    assert _titles(ndb_legacy.gql(text, books)) == ["A", "B"]
    assert _titles(ndb_legacy.gql("SELECT * FROM GqlBook WHERE ANCESTOR IS KEY('GqlShelf', 'top')")) == ["A", "B"]


def test_not_equal_includes_null_like_legacy(books):
    # legacy ran genre < 'drama' OR genre > 'drama'; a missing value is not stored, an explicit None is null
    assert sorted(_titles(ndb_legacy.gql("SELECT * FROM GqlBook WHERE genre != 'drama'"))) == ["B"]
    assert sorted(_titles(ndb_legacy.gql("SELECT * FROM GqlBook WHERE group != :1", "y"))) == ["A", "B", "C"]


def test_encoded_key_literal_and_reserved_word_names(books):
    encoded = books.key.to_legacy_urlsafe("s~").decode()
    assert _titles(ndb_legacy.gql("SELECT * FROM GqlBook WHERE shelf = KEY('%s')" % encoded)) == ["A"]
    assert _titles(ndb_legacy.gql("SELECT * FROM GqlBook WHERE group = :1", "x")) == ["A"]


def test_keys_only_and_key_filters(books):
    keys = ndb_legacy.gql("SELECT __key__ FROM GqlBook ORDER BY __key__").fetch(10)
    assert keys == [ndb.Key("GqlBook", "b3"), ndb.Key("GqlShelf", "top", "GqlBook", "b1"),
                    ndb.Key("GqlShelf", "top", "GqlBook", "b2")]
    assert _titles(ndb_legacy.gql("SELECT * FROM GqlBook WHERE __key__ = KEY('GqlBook', 'b3')")) == ["C"]


def test_bind_again_gives_the_query_with_new_values(books):
    q = ndb_legacy.gql("SELECT * FROM GqlBook WHERE genre = :1 ORDER BY title", "drama")
    assert _titles(q) == ["A", "C"]
    q = q.bind("comedy")
    assert _titles(q) == ["B"]
    assert _titles(q.filter(GqlBook.title == "B")) == ["B"]


def test_parameter_errors(books):
    with pytest.raises(exceptions.BadArgumentError):
        ndb_legacy.gql("SELECT * FROM GqlBook WHERE genre = :1")
    with pytest.raises(exceptions.BadArgumentError):
        ndb_legacy.gql("SELECT * FROM GqlBook WHERE genre = :1", "drama", "unused")
    with pytest.raises(exceptions.BadQueryError):
        ndb_legacy.gql("SELECT * FROM GqlBook WHERE")


def test_filter_and_order_strings_read_at_run_time(books):
    """ndb_legacy.filter_by / order_by / IN: legacy's filter and order strings, an empty IN list gives nothing."""
    assert _titles(GqlBook.query(ndb_legacy.filter_by(GqlBook, "genre =", "drama")).order(GqlBook.title)) == ["A", "C"]
    assert _titles(GqlBook.query(ndb_legacy.filter_by(GqlBook, "genre", "comedy"))) == ["B"]
    assert _titles(GqlBook.query(ndb_legacy.filter_by(GqlBook, "nope >", 3))) == []
    assert sorted(_titles(GqlBook.query(ndb_legacy.filter_by(GqlBook, "genre !=", "drama")))) == ["B"]
    with pytest.raises(AttributeError):
        ndb_legacy.filter_by(GqlBook, "genre ~", "x")
    assert _titles(GqlBook.query().order(ndb_legacy.order_by(GqlBook, "-title"))) == ["C", "B", "A"]
    with pytest.raises(ndb_legacy.PropertyError, match="Invalid property name 'age'"):
        ndb_legacy.order_by(GqlBook, "age")
    assert _titles(GqlBook.query(ndb_legacy.IN(GqlBook.genre, []))) == []
    assert GqlBook.query(GqlBook.genre == "drama", ndb_legacy.IN(GqlBook.title, [])).count() == 0
    assert sorted(_titles(GqlBook.query(ndb_legacy.IN(GqlBook.title, ["A", "B"])))) == ["A", "B"]
