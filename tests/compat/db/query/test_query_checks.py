"""Client-side checks: legacy's error classes, raised before any RPC (the proxy counts RunQuery calls)."""

import pytest
from query_models import QBag, QStory

from compat import db


def _no_query_was_sent(counted):
    assert counted.calls["RunQuery"] == 0, counted.calls


def test_unparsable_filter_strings_are_bad_filter_errors(counted):
    for text in ["", "   ", "n >>", "n = x", "n <> ", "two words", "=", ">=", None, 5]:
        with pytest.raises(db.BadFilterError):
            QStory.all().filter(text, 1)
    _no_query_was_sent(counted)


def test_property_names(counted):
    with pytest.raises(db.PropertyError, match="Invalid property name 'nope'"):
        QStory.all().order("nope")
    with pytest.raises(db.PropertyError, match="Invalid property name 'renamed'"):
        QStory.all().order("renamed")  # the attribute; the stored name is what counts
    QStory.all().order("stored_name").order("__key__").order("-n")
    QBag.all().order("anything")  # Expando: any name
    _no_query_was_sent(counted)


@pytest.mark.parametrize("build", [
    lambda: QStory.all().filter("note =", "x"),
    lambda: QStory.all().order("-note"),
    lambda: QStory.all().order("body"),
    lambda: QStory.all(projection=("body",)),
    lambda: db.GqlQuery("SELECT * FROM QStory WHERE note = :1", "x"),
    lambda: db.GqlQuery("SELECT * FROM QStory ORDER BY body"),
    lambda: db.GqlQuery("SELECT body FROM QStory"),
    lambda: QStory.gql("WHERE n = 1 ORDER BY note"),
])
def test_unindexed_properties_cannot_be_filtered_sorted_or_projected(clean_datastore, build):
    with pytest.raises(db.PropertyError, match="is not indexed"):
        build()


def test_text_and_blob_values_cannot_be_filtered_on(clean_datastore):
    with pytest.raises(db.BadValueError, match="Filtering on Text properties is not supported"):
        QStory.all().filter("body =", "x")
    with pytest.raises(db.BadValueError, match="Filtering on Text properties is not supported"):
        db.GqlQuery("SELECT * FROM QStory WHERE body = 'x'").fetch(1)


def test_wrong_value_types_are_bad_value_errors(counted):
    cases = [
        ("n =", "3"), ("n >", 2.5), ("n =", True), ("score >", 5), ("title =", 5),
        ("flag =", 1), ("author =", "not a key"), ("author =", 5), ("day =", "2020-01-01"),
        ("at =", "12:00"), ("published >", "2020-01-01"),
        ("place =", (1, 2)), ("tags =", 5), ("nums =", "x"),
    ]
    for text, value in cases:
        with pytest.raises(db.BadValueError):
            QStory.all().filter(text, value)
            pytest.fail("accepted %s %r" % (text, value))  # pragma: no cover
    with pytest.raises(db.BadValueError, match="lists is not supported"):
        QStory.all().filter("tags =", ["a", "b"])
    with pytest.raises(db.BadValueError, match='"in" operator must be a list'):
        QStory.all().filter("n IN", 5)
    with pytest.raises(db.BadValueError, match='"in" operator must be a list'):
        QStory.all().filter("n IN", "abc")
    with pytest.raises(db.BadValueError):
        QStory.all().filter("n IN", [1, "2"])
    with pytest.raises(db.BadValueError, match="Text"):
        QBag.all().filter("dynamic =", db.Text("long"))
    with pytest.raises(db.BadValueError, match="Blob"):
        QBag.all().filter("dynamic =", db.Blob(b"raw"))
    with pytest.raises(db.BadValueError):
        QBag.all().filter("dynamic =", object())
    with pytest.raises(db.NotSavedError):
        QBag.all().filter("ref =", QStory())  # an unsaved instance has no key to compare
    _no_query_was_sent(counted)


def test_key_filters_need_complete_keys(counted):
    for value in ["agxzfmNvbXBhdC10ZXN0", 5, None, db.Key.from_path("QStory", 1).parent()]:
        with pytest.raises(db.BadFilterError, match="__key__"):
            QStory.all().filter("__key__ =", value)
    _no_query_was_sent(counted)


def test_kindless_queries(counted):
    with pytest.raises(db.BadQueryError, match="Only __key__ filters"):
        db.Query().filter("n =", 1)
    with pytest.raises(db.BadQueryError, match="Only __key__ ascending"):
        db.Query().order("n")
    with pytest.raises(db.BadQueryError, match="Only __key__ ascending"):
        db.Query().order("-__key__")
    with pytest.raises(db.BadQueryError, match="Only __key__ ascending"):
        list(db.GqlQuery("SELECT * ORDER BY __key__ DESC"))
    db.Query().filter("__key__ >", db.Key.from_path("QStory", 1)).order("__key__")
    _no_query_was_sent(counted)


def test_keys_only_refuses_in_and_not_equal(counted):
    with pytest.raises(db.BadQueryError, match="IN"):
        QStory.all(keys_only=True).filter("n IN", [1, 2])
    with pytest.raises(db.BadQueryError, match="!="):
        QStory.all(keys_only=True).filter("n !=", 1)
    with pytest.raises(db.BadQueryError, match="IN or !="):
        db.GqlQuery("SELECT __key__ FROM QStory WHERE n IN (1, 2)").fetch(1)
    _no_query_was_sent(counted)


def test_combination_checks_happen_when_the_query_runs(counted):
    query = QStory.all().filter("n >", 1).filter("score <", 2.0)
    with pytest.raises(db.BadFilterError, match="Only one property per query may have inequality"):
        query.fetch(1)
    query = QStory.all().filter("n >", 1).order("title")
    with pytest.raises(db.BadArgumentError, match="First ordering property must be the same"):
        query.fetch(1)
    with pytest.raises(db.BadArgumentError, match="First ordering property"):
        QStory.all().filter("n !=", 1).order("score").count()
    with pytest.raises(db.BadArgumentError, match="First ordering property"):
        db.GqlQuery("SELECT * FROM QStory WHERE n > 1 ORDER BY title").get()
    QStory.all().filter("n >", 1).order("n").order("title")  # the inequality property first is fine
    with pytest.raises(db.BadQueryError, match="distinct without a projection"):
        QStory.all(distinct=True).fetch(1)
    with pytest.raises(db.BadArgumentError, match="keys_only"):
        QStory.all(keys_only=True, projection=("n",)).fetch(1)
    with pytest.raises(db.BadArgumentError, match="Cannot satisfy query -- too many subqueries"):
        QStory.all().filter("n IN", list(range(6))).filter("title IN", list("abcdef")).fetch(1)
    _no_query_was_sent(counted)


def test_argument_checks(counted):
    for call in [
        lambda: QStory.all().fetch(-1),
        lambda: QStory.all().fetch("10"),
        lambda: QStory.all().fetch(10, offset=-1),
        lambda: QStory.all().fetch(10, batch_size=0),
        lambda: QStory.all().count(limit=-5),
        lambda: QStory.all().run(unknown_option=1),
        lambda: QStory.all().fetch(1, deadline=-1),
        lambda: QStory.all().fetch(1, read_policy=7),
        lambda: QStory.all().order(5),
        lambda: QStory.all().order("-"),
        lambda: QStory.all(projection="n"),
        lambda: QStory.all(projection=("n", 5)),
        lambda: db.Query("QStory"),
    ]:
        with pytest.raises(db.BadArgumentError):
            call()
    with pytest.raises(TypeError, match="ancestor should be Key or Model"):
        QStory.all().ancestor("agxzfmNvbXBhdC10ZXN0")
    with pytest.raises(db.NotSavedError):
        QStory.all().ancestor(QStory())
    with pytest.raises(ValueError):
        QStory.all()[-1]
    with pytest.raises(TypeError):
        QStory.all()["a"]
    _no_query_was_sent(counted)


def test_gql_errors_before_any_rpc(counted):
    with pytest.raises(db.BadQueryError, match="offset"):
        db.GqlQuery("SELECT * FROM QStory WHERE")
    with pytest.raises(db.KindError):
        db.GqlQuery("SELECT * FROM NoSuchKindAnywhere")
    query = db.GqlQuery("SELECT * FROM QStory WHERE n = :1 AND title = :who")
    with pytest.raises(db.BadArgumentError, match="Missing argument"):
        query.fetch(1)
    query.bind(1)
    with pytest.raises(db.BadArgumentError, match="Missing named arguments"):
        query.fetch(1)
    with pytest.raises(db.BadArgumentError, match="Unused positional"):
        db.GqlQuery("SELECT * FROM QStory WHERE n = :1", 1, 2).fetch(1)
    with pytest.raises(db.BadArgumentError, match="List expected"):
        db.GqlQuery("SELECT * FROM QStory WHERE n IN :1", 1).fetch(1)
    with pytest.raises(db.BadValueError):
        db.GqlQuery("SELECT * FROM QStory WHERE n = :1", "one").fetch(1)
    with pytest.raises(db.BadQueryError, match="Type Cast Error"):
        db.GqlQuery("SELECT * FROM QStory WHERE published = DATETIME('yesterday')").fetch(1)
    with pytest.raises(db.BadArgumentError, match="Entity or Key"):
        db.GqlQuery("SELECT * FROM QStory WHERE ANCESTOR IS :1", "not a key").fetch(1)
    _no_query_was_sent(counted)


def test_malformed_cursors(counted):
    for bad in ["not base64!", "abcde", "%%%", "\u00e9\u00e9", 12, object(), "A" * 20000]:
        with pytest.raises(db.BadValueError):
            QStory.all().with_cursor(bad)
        with pytest.raises(db.BadValueError):
            db.websafe_decode_cursor(bad)
    with pytest.raises(db.BadValueError):
        QStory.all().with_cursor(None, "not base64!")
    with pytest.raises(db.BadValueError):
        QStory.all().fetch(1, start_cursor="not base64!")
    with pytest.raises(db.BadValueError):
        db.websafe_encode_cursor("a string")
    with pytest.raises(db.BadRequestError, match="IN"):
        QStory.all().filter("n IN", [1, 2]).with_cursor("CgA").fetch(1)
    _no_query_was_sent(counted)
