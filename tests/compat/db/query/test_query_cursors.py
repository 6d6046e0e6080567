"""Cursors against the emulator: after fetch / iteration / get / count, paging, end cursors, websafe strings."""

import urllib.parse

import pytest
from query_models import QStory, make_stories, ns

from compat import db


def test_paging_over_many_pages_loses_and_repeats_nothing(clean_datastore):
    make_stories(53)
    seen = []
    cursor = None
    pages = 0
    while True:
        query = QStory.all().filter("n >=", 0).order("n")
        if cursor is not None:
            query.with_cursor(cursor)
        page = query.fetch(7)
        if not page:
            break
        seen.extend(ns(page))
        pages += 1
        # the cursor travels through a URL, as in a web app
        cursor = urllib.parse.parse_qs(urllib.parse.urlencode({"c": query.cursor()}))["c"][0]
    assert pages == 8
    assert seen == list(range(53))


def test_paging_descending_with_gql_and_keys_only(clean_datastore):
    make_stories(23)
    seen, cursor = [], None
    for _ in range(5):
        query = db.GqlQuery("SELECT __key__ FROM QStory WHERE n < :1 ORDER BY n DESC", 100)
        query.with_cursor(cursor)
        page = query.fetch(5)
        seen.extend(int(key.name()[1:]) for key in page)
        cursor = query.cursor()
    assert seen == list(range(22, -1, -1))


def test_cursor_after_iteration_points_after_the_last_result_taken(clean_datastore):
    make_stories(10)
    query = QStory.all().order("n")
    iterator = query.run(batch_size=3)
    taken = [next(iterator).n for _ in range(4)]
    assert taken == [0, 1, 2, 3]
    after_four = query.cursor()
    assert iterator.cursor().to_websafe_string() == after_four
    assert ns(QStory.all().order("n").with_cursor(after_four).fetch(3)) == [4, 5, 6]
    list(iterator)
    assert QStory.all().order("n").with_cursor(query.cursor()).fetch(5) == []  # exhausted: at the end


def test_cursor_after_get_and_after_count(clean_datastore):
    make_stories(10)
    query = QStory.all().order("n")
    assert query.get().n == 0
    assert ns(QStory.all().order("n").with_cursor(query.cursor()).fetch(2)) == [1, 2]
    query = QStory.all().order("n")
    assert query.count(limit=6) == 6
    assert ns(QStory.all().order("n").with_cursor(query.cursor()).fetch(2)) == [6, 7]
    query = QStory.all().order("n")
    query.fetch(3, offset=2)
    assert ns(QStory.all().order("n").with_cursor(query.cursor()).fetch(2)) == [5, 6]


def test_end_cursors_and_cursor_ranges(clean_datastore):
    make_stories(12)
    query = QStory.all().order("n")
    query.fetch(3)
    first = query.cursor()
    query.with_cursor(first)
    query.fetch(4)
    second = query.cursor()
    assert ns(QStory.all().order("n").with_cursor(end_cursor=first)) == [0, 1, 2]
    assert ns(QStory.all().order("n").with_cursor(first, second)) == [3, 4, 5, 6]
    assert ns(QStory.all().order("n").with_cursor(start_cursor=second)) == [7, 8, 9, 10, 11]
    assert QStory.all().order("n").with_cursor(first, second).count() == 4
    assert ns(QStory.all().order("n").run(start_cursor=db.websafe_decode_cursor(first),
                                          end_cursor=db.websafe_decode_cursor(second))) == [3, 4, 5, 6]
    with pytest.raises(db.BadArgumentError):  # run() takes Cursor objects, as legacy
        QStory.all().order("n").run(start_cursor=first)


def test_an_empty_end_cursor_means_no_results(clean_datastore, counted):
    make_stories(3)
    counted.reset_counts()
    for blank in ["", "   ", b""]:
        assert QStory.all().order("n").with_cursor(None, blank).fetch(5) == []
        assert QStory.all().with_cursor(None, blank).count() == 0
        assert ns(QStory.all().order("n").with_cursor(blank).fetch(5)) == [0, 1, 2]  # as a start: the first result
    assert counted.calls["RunQuery"] == 3


def test_websafe_helpers_round_trip(clean_datastore):
    make_stories(5)
    query = QStory.all().order("n")
    query.fetch(2)
    text = query.cursor()
    # bytes, as the legacy SDK on Python 3 returns them
    assert isinstance(text, bytes) and set(text) <= set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
    cursor = db.websafe_decode_cursor(text)
    assert db.websafe_encode_cursor(cursor) == text
    assert ns(QStory.all().order("n").with_cursor(text.decode()).fetch(1)) == [2]  # str and bytes both work
    assert ns(QStory.all().order("n").with_cursor(text).fetch(1)) == [2]
    assert ns(QStory.all().order("n").with_cursor("").fetch(1)) == [0]  # a missing URL parameter
    assert db.websafe_decode_cursor("") == db.websafe_decode_cursor(b"")
    with pytest.raises(db.BadValueError):
        QStory.all().with_cursor(cursor)  # legacy: with_cursor takes websafe strings only
    if text.endswith(b"="):
        with pytest.raises(db.BadValueError, match="padding"):
            QStory.all().with_cursor(text.rstrip(b"="))  # legacy's base64 needs its padding


def test_cursor_before_any_run_and_for_in_queries(clean_datastore):
    make_stories(3)
    with pytest.raises(AssertionError, match="No cursor available"):
        QStory.all().cursor()
    query = QStory.all().filter("n IN", [1, 2])
    assert sorted(ns(query)) == [1, 2]
    with pytest.raises(AssertionError, match="MultiQuery"):
        query.cursor()


def test_a_cursor_of_garbage_bytes_is_a_bad_value_not_a_crash(clean_datastore):
    make_stories(3)
    query = QStory.all().with_cursor("Z2FyYmFnZQ==")  # base64 of b"garbage"
    with pytest.raises(db.BadValueError):  # refused before any RPC, as legacy refused what it could not parse
        query.fetch(5)
    legacy_style = "E-ABAIICGWoMc35teS1sZWdhY3ktYXBwcgsLEgVTdG9yeRgBDBQ="  # not a Cloud Datastore cursor
    with pytest.raises(db.BadValueError):
        QStory.all().with_cursor(legacy_style).fetch(5)


def test_a_cursor_formats_into_a_url_as_python_2_str_did(clean_datastore):
    """Python 2 apps wrote '/?cursor=%s' % q.cursor(); the link must carry the websafe text, not b'...'."""
    make_stories(5)
    query = QStory.all().order("n")
    query.fetch(2)
    cursor = query.cursor()
    text = cursor.decode("ascii")
    assert isinstance(cursor, bytes)
    assert "/?cursor=%s" % cursor == "/?cursor=" + text
    assert "/?cursor={}".format(cursor) == f"/?cursor={cursor}" == "/?cursor=" + text
    assert str(cursor) == text and "b'" not in str(cursor)
    link_cursor = urllib.parse.parse_qs(("/?cursor=%s" % cursor).split("?", 1)[1])["cursor"][0]
    assert ns(QStory.all().order("n").with_cursor(link_cursor).fetch(2)) == [2, 3]
    assert db.websafe_encode_cursor(db.websafe_decode_cursor(cursor)) == cursor
