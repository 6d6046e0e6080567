"""Client-side checks: legacy's error classes, raised before any RPC (the proxy counts RunQuery calls)."""

import pytest
from query_models import QBag, QStory

from compat import db


def _no_query_was_sent(counted):
    assert counted.calls["RunQuery"] == 0, counted.calls


def test_unparsable_filter_strings_raise_what_legacy_raised(counted):
    # Legacy's filter() crashed with AttributeError / TypeError; compat's errors are those and BadFilterError.
    for text in ["", "   ", "n >>", "n = x", "n <> ", "two words", "n = ="]:
        with pytest.raises(db.BadFilterError) as raised:
            QStory.all().filter(text, 1)
        assert isinstance(raised.value, AttributeError)
    for text in [None, 5, b"n ="]:
        with pytest.raises(db.BadFilterError) as raised:
            QStory.all().filter(text, 1)
        assert isinstance(raised.value, TypeError)
    _no_query_was_sent(counted)


def test_an_operator_not_separated_by_whitespace_is_part_of_the_name(clean_datastore):
    QStory(n=3).put()
    assert QStory.all().filter("n =", 3).count() == 1
    for text in ["n=", "n>", "=", ">="]:  # legacy: a property called "n=" (or "=") ... which nothing has
        assert QStory.all().filter(text, 3).fetch(5) == []


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
    lambda: QStory.all(projection=("note",)),
    lambda: db.GqlQuery("SELECT * FROM QStory WHERE note = :1", "x"),
    lambda: db.GqlQuery("SELECT note FROM QStory"),
    lambda: QStory.gql("WHERE n = 1 ORDER BY note"),
])
def test_unindexed_properties_cannot_be_filtered_sorted_or_projected(clean_datastore, build):
    with pytest.raises(db.PropertyError, match="is not indexed"):
        build()


def test_text_and_blob_values_cannot_be_filtered_on(clean_datastore):
    with pytest.raises(db.BadValueError, match="Filtering on Text properties is not supported"):
        QStory.all().filter("body =", db.Text("x"))
    with pytest.raises(db.BadValueError, match="Text"):
        QBag.all().filter("dynamic =", db.Text("long"))
    with pytest.raises(db.BadValueError, match="Blob"):
        QBag.all().filter("dynamic =", db.Blob(b"raw"))


def test_text_properties_can_be_filtered_and_sorted_and_match_nothing_as_in_legacy(clean_datastore):
    QStory(n=1, body="x").put()
    assert QStory.all().filter("body =", "x").fetch(5) == []  # the value is never indexed
    assert db.GqlQuery("SELECT * FROM QStory WHERE body = 'x'").fetch(5) == []
    assert QStory.all().order("body").fetch(5) == []
    assert db.GqlQuery("SELECT * FROM QStory ORDER BY body").fetch(5) == []
    assert QStory.all(projection=("body",)).fetch(5) == []
    QStory(n=2).put()  # a None Text is stored as an indexed null: sorting finds it, as in legacy
    assert [story.n for story in QStory.all().order("body")] == [2]


def test_operands_the_property_cannot_hold_match_nothing(clean_datastore):
    QStory(n=3, title="t", tags=["5"], nums=[1]).put()
    cases = [
        ("n =", "3"), ("n >", 2.5), ("n =", True), ("score >", 5), ("title =", 5),
        ("flag =", 1), ("author =", "not a key"), ("author =", 5), ("day =", "2020-01-01"),
        ("at =", "12:00"), ("published >", "2020-01-01"), ("tags =", 5), ("nums =", "x"),
    ]
    for text, value in cases:
        assert QStory.all().filter(text, value).fetch(5) == [], (text, value)
    assert [s.n for s in QStory.all().filter("n IN", [1, "3", 3])] == [3]


def test_strict_mode_warns_about_operands_the_property_cannot_hold(clean_datastore):
    from compat import CompatWarning, configure

    configure(strict=True)
    try:
        with pytest.warns(CompatWarning, match="could never hold"):
            QStory.all().filter("n =", "3")
        with pytest.warns(CompatWarning, match="never indexed"):
            QStory.all().filter("body =", "x")
        with pytest.warns(CompatWarning, match="never indexed"):
            QStory.all().order("body")
    finally:
        configure(strict=False)


def test_bad_operand_values_are_bad_value_errors(counted):
    with pytest.raises(db.BadValueError, match="lists is not supported"):
        QStory.all().filter("tags =", ["a", "b"])
    with pytest.raises(db.BadValueError, match="lists is not supported"):
        QStory.all().filter("place =", (1, 2))
    with pytest.raises(db.BadValueError, match='"in" operator must be a list'):
        QStory.all().filter("n IN", 5)
    with pytest.raises(db.BadValueError, match='"in" operator must be a list'):
        QStory.all().filter("n IN", "abc")
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
        lambda: QStory.all().run(unknown_option=1),  # a TypeError too, as legacy raised
        lambda: QStory.all().fetch(1, deadline=-1),
        lambda: QStory.all().fetch(1, read_policy=7),
        lambda: QStory.all().order(5),
        lambda: QStory.all(projection="n"),
        lambda: QStory.all(projection=("n", 5)),
        lambda: db.Query("QStory"),
    ]:
        with pytest.raises(db.BadArgumentError):
            call()
    with pytest.raises(db.PropertyError, match="Invalid property name ''"):
        QStory.all().order("-")
    with pytest.raises(TypeError, match="Unknown configuration option"):
        QStory.all().run(unknown_option=1)
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
    assert db.GqlQuery("SELECT * FROM QStory WHERE n = :1", "one").fetch(1) == []  # legacy: matches nothing
    with pytest.raises(db.BadQueryError, match="Type Cast Error"):
        db.GqlQuery("SELECT * FROM QStory WHERE published = DATETIME('yesterday')").fetch(1)
    with pytest.raises(db.BadKeyError):
        db.GqlQuery("SELECT * FROM QStory WHERE ANCESTOR IS :1", "not a key").fetch(1)
    with pytest.raises(db.BadArgumentError, match="Entity or Key"):
        db.GqlQuery("SELECT * FROM QStory WHERE ANCESTOR IS :1", 5).fetch(1)
    assert counted.calls["RunQuery"] == 1  # only the query that legacy also ran


def test_malformed_cursors(counted):
    for bad in ["not base64!", "abcde", "\u00e9\u00e9", 12, object()]:
        with pytest.raises(db.BadValueError):
            QStory.all().with_cursor(bad)
        with pytest.raises(db.BadValueError):
            db.websafe_decode_cursor(bad)
    key_string = str(db.Key.from_path("QStory", 1))
    for bad in ["A" * 20000, "AAAA", "garbage=", key_string + "=" * (-len(key_string) % 4)]:
        db.websafe_decode_cursor(bad)  # base64: decodes, as in legacy ...
        with pytest.raises(db.BadValueError):  # ... but is no cursor: refused before any RPC
            QStory.all().with_cursor(bad).fetch(1)
        with pytest.raises(db.BadValueError):
            QStory.all().with_cursor(None, bad).count()
    with pytest.raises(db.BadValueError):
        QStory.all().with_cursor(None, "not base64!")
    with pytest.raises(db.BadArgumentError, match="start_cursor argument should be datastore_query.Cursor"):
        QStory.all().fetch(1, start_cursor="not base64!")
    with pytest.raises(db.BadValueError) as raised:
        db.websafe_encode_cursor("a string")
    assert isinstance(raised.value, AttributeError)  # what legacy raised
    with pytest.raises(db.BadRequestError, match="IN"):
        QStory.all().filter("n IN", [1, 2]).with_cursor("CgA=").fetch(1)
    _no_query_was_sent(counted)
