"""db.GqlQuery and Model.gql against the emulator: bindings, every literal, LIMIT/OFFSET semantics, rebinding."""

import datetime

import pytest
from query_models import BASE_TIME, QAuthor, QStory, ns

from compat import db, users


def gql(text, *args, **kwds):
    return sorted(ns(db.GqlQuery(text, *args, **kwds)))


def test_positional_and_named_bindings(stories):
    assert gql("SELECT * FROM QStory WHERE n = :1", 4) == [4]
    assert gql("SELECT * FROM QStory WHERE n > :1 AND n < :2", 2, 5) == [3, 4]
    assert gql("SELECT * FROM QStory WHERE n >= :low AND n <= :high", low=7, high=8) == [7, 8]
    assert gql("SELECT * FROM QStory WHERE n IN :1", [1, 3]) == [1, 3]
    assert gql("SELECT * FROM QStory WHERE n IN (:1, :2, 9)", 0, 4) == [0, 4, 9]
    assert gql("SELECT * FROM QStory WHERE n != :1 AND n < 3", 1) == [0, 2]
    assert gql("SELECT * FROM QStory WHERE tags = :1 AND flag = :2", "t0", True) == [3, 9]
    assert gql("SELECT * FROM QStory WHERE author = :1", stories[0].author)[:2] == [0, 1]  # instance -> key


def test_bound_values_are_values_never_query_text(clean_datastore):
    tricky = "x' OR n = 1 OR title = 'y"
    QStory(key_name="a", title=tricky, n=1).put()
    QStory(key_name="b", title="plain", n=1).put()
    assert [s.key().name() for s in db.GqlQuery("SELECT * FROM QStory WHERE title = :1", tricky)] == ["a"]
    assert [s.key().name() for s in QStory.gql("WHERE title = :t", t="it's")] == []


def test_every_literal(stories, author):
    assert gql("SELECT * FROM QStory WHERE title = 'title 3'") == [3]
    assert gql("SELECT * FROM QStory WHERE n = 3") == [3]
    assert gql("SELECT * FROM QStory WHERE score = 1.5") == [3]
    assert gql("SELECT * FROM QStory WHERE flag = TRUE AND n < 4") == [1, 3]
    assert gql("SELECT * FROM QStory WHERE flag = false AND n < 4") == [0, 2]
    assert gql("SELECT * FROM QStory WHERE author = KEY('QAuthor', 'ann') AND n < 2") == [0, 1]
    assert gql("SELECT * FROM QStory WHERE author = KEY(:1) AND n < 2", str(author.key())) == [0, 1]
    assert gql("SELECT * FROM QStory WHERE __key__ = KEY('QStory', 's0004')") == [4]
    assert gql("SELECT * FROM QStory WHERE published = DATETIME('2020-01-03 12:00:00')") == [2]
    assert gql("SELECT * FROM QStory WHERE published = DATETIME(2020, 1, 4, 12, 0, 0)") == [3]
    assert gql("SELECT * FROM QStory WHERE published < DATE('2020-01-03')") == [0, 1]
    assert gql("SELECT * FROM QStory WHERE day = DATE(2020, 1, 5)") == [4]
    assert gql("SELECT * FROM QStory WHERE at = TIME('05:30:00')") == [5]
    assert gql("SELECT * FROM QStory WHERE at = TIME(6, 30, 0)") == [6]
    assert gql("SELECT * FROM QStory WHERE place = GEOPT(7.0, 7.0)") == [7]
    assert gql("SELECT * FROM QStory WHERE published > DATETIME(:1) AND published < DATETIME(:2)",
               "2020-01-08 00:00:00", "2020-01-10 00:00:00") == [7, 8]
    assert gql("SELECT * FROM QStory WHERE title = NULL") == []
    assert gql("SELECT * FROM QStory WHERE n IN (1, 2) AND published = :1", BASE_TIME) == []


def test_user_literals_filter_user_values(clean_datastore):
    QStory(n=1, owner=users.User("ann@example.com")).put()
    assert [s.n for s in db.GqlQuery("SELECT * FROM QStory WHERE owner = USER('ann@example.com')")] == [1]
    assert db.GqlQuery("SELECT * FROM QStory WHERE title = USER('ann@example.com')").fetch(1) == []


def test_bound_dates_and_times_are_normalised_as_legacy(stories):
    assert gql("SELECT * FROM QStory WHERE day = :1", datetime.date(2020, 1, 2)) == [1]
    assert gql("SELECT * FROM QStory WHERE at = :1", datetime.time(2, 30)) == [2]
    assert gql("SELECT * FROM QStory WHERE published >= :1", datetime.date(2020, 1, 10)) == [9]


def test_ancestor_is(clean_datastore):
    root = QAuthor(key_name="root")
    root.put()
    QStory(parent=root, key_name="c1", n=1).put()
    QStory(key_name="other", n=2).put()
    assert gql("SELECT * FROM QStory WHERE ANCESTOR IS :1", root) == [1]
    assert gql("SELECT * FROM QStory WHERE ANCESTOR IS :1", root.key()) == [1]
    assert gql("SELECT * FROM QStory WHERE ANCESTOR IS KEY('QAuthor', 'root') AND n = 1") == [1]
    assert [k.kind() for k in db.GqlQuery("SELECT __key__ WHERE ANCESTOR IS :1", root)] == ["QAuthor", "QStory"]


def test_order_by_limit_and_offset(stories):
    def run(text, **kwargs):
        return ns(db.GqlQuery(text).run(**kwargs))

    assert run("SELECT * FROM QStory ORDER BY n DESC LIMIT 3") == [9, 8, 7]
    assert run("SELECT * FROM QStory ORDER BY n ASC LIMIT 3 OFFSET 2") == [2, 3, 4]
    assert run("SELECT * FROM QStory ORDER BY n LIMIT 2, 3") == [2, 3, 4]
    assert run("SELECT * FROM QStory ORDER BY flag DESC, n DESC LIMIT 2") == [9, 7]
    assert run("SELECT * FROM QStory ORDER BY n LIMIT 3", limit=5) == [0, 1, 2, 3, 4]  # arguments win
    query = db.GqlQuery("SELECT * FROM QStory ORDER BY n LIMIT 3 OFFSET 4")
    assert ns(query) == [4, 5, 6]
    assert ns(query.fetch(2)) == [0, 1]  # legacy fetch() ignores the text's LIMIT and OFFSET
    assert query.get().n == 4  # legacy get() honours OFFSET
    assert query.count() == 10  # and count() ignores both


def test_projection_keys_only_and_distinct(stories):
    rows = db.GqlQuery("SELECT n, title FROM QStory WHERE n < 2 ORDER BY n").fetch(5)
    assert [(r.n, r.title, r.score) for r in rows] == [(0, "title 0", None), (1, "title 1", None)]
    assert db.GqlQuery("SELECT n FROM QStory").projection() == ("n",)
    assert db.GqlQuery("SELECT __key__ FROM QStory").is_keys_only()
    assert db.GqlQuery("SELECT DISTINCT flag FROM QStory").is_distinct()
    assert [r.flag for r in db.GqlQuery("SELECT DISTINCT flag FROM QStory ORDER BY flag DESC")] == [True, False]


def test_bind_replaces_the_arguments_and_reuses_the_parse(stories):
    query = db.GqlQuery("SELECT * FROM QStory WHERE n = :1")
    query.bind(1)
    assert ns(query) == [1]
    query.bind(6)
    assert ns(query) == [6]
    query = QStory.gql("WHERE n >= :low ORDER BY n", low=8)
    assert ns(query) == [8, 9]
    query.bind(low=5)
    assert ns(query.fetch(2)) == [5, 6]


def test_model_gql_forms(stories):
    assert ns(QStory.gql("")) != []
    assert ns(QStory.gql("ORDER BY n DESC LIMIT 2")) == [9, 8]
    assert ns(QStory.gql("WHERE stored_name = :1", "r3")) == [3]
    assert ns(QStory.gql("LIMIT 1 OFFSET 5")) == [5]
    with pytest.raises(db.BadQueryError) as error:
        QStory.gql("WHERE n = = 1")
    assert "offset" in str(error.value)


def test_app_and_namespace_argument(clean_datastore):
    key = db.Key.from_path("QStory", "in-ns", namespace="ns1")
    QStory(key=key, n=1).put()
    assert ns(db.GqlQuery("SELECT * FROM QStory", _app=(None, "ns1"))) == [1]
    assert ns(db.GqlQuery("SELECT * FROM QStory WHERE __key__ = KEY('QStory', 'in-ns')", _app=(None, "ns1"))) == [1]
    assert ns(db.GqlQuery("SELECT * FROM QStory")) == []
    with pytest.raises(db.BadArgumentError):
        db.GqlQuery("SELECT * FROM QStory", _app=("a", "b", "c"))
