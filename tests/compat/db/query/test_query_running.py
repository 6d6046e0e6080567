"""Running queries against the emulator: orders, ancestors, fetch/get/run/count, keys_only, projections,
kindless and namespaced queries, mutable-query semantics, batching."""

import datetime
import pickle
import time

import pytest
from query_models import QAnimal, QAuthor, QBag, QCat, QDog, QStory, make_stories, ns

from compat import db, namespace_manager


def test_orders(stories):
    assert ns(QStory.all().order("n")) == list(range(10))
    assert ns(QStory.all().order("-n")) == list(range(9, -1, -1))
    assert ns(QStory.all().order("flag").order("-n")) == [8, 6, 4, 2, 0, 9, 7, 5, 3, 1]
    assert ns(QStory.all().order("-published").fetch(3)) == [9, 8, 7]
    assert ns(QStory.all().order("__key__")) == list(range(10))  # key names s00..s09
    assert ns(QStory.all().filter("n >", 3).order("n").order("-title").fetch(2)) == [4, 5]


def test_a_sort_order_excludes_entities_without_the_property(stories, raw):
    from google.cloud.datastore import Entity

    bare = Entity(key=raw.client.key("QStory", "bare"))
    bare.update({"title": "no n at all"})
    raw.client.put(bare)
    assert QStory.all().count() == 11
    assert len(QStory.all().order("n").fetch(100)) == 10
    assert QStory.all().order("n").count() == 10  # count keeps the orders, as legacy's did


def test_ancestor_queries(clean_datastore):
    root = QAuthor(key_name="root")
    root.put()
    child = QStory(parent=root, key_name="child", n=1)
    child.put()
    grandchild = QStory(parent=child, key_name="grandchild", n=2)
    grandchild.put()
    QStory(key_name="stranger", n=3).put()
    assert sorted(ns(QStory.all().ancestor(root))) == [1, 2]
    assert sorted(ns(QStory.all().ancestor(child.key()))) == [1, 2]  # the ancestor itself is included
    assert ns(QStory.all().ancestor(child).filter("n >", 1)) == [2]
    assert [k.name() for k in db.Query(keys_only=True).ancestor(root).order("__key__")] == [
        "root", "child", "grandchild"]
    descendants = db.query_descendants(root)
    assert sorted(m.key().name() for m in descendants) == ["child", "grandchild"]
    assert sorted(ns(QStory.gql("WHERE ANCESTOR IS :1", root))) == [1, 2]
    assert ns(QStory.all().ancestor(root.key().to_ndb()).filter("n =", 2)) == [2]


def test_fetch_get_run_and_iteration(stories):
    query = QStory.all().order("n")
    assert ns(query.fetch(3)) == [0, 1, 2]
    assert ns(query.fetch(3, offset=8)) == [8, 9]
    assert ns(query.fetch(None)) == list(range(10))
    assert ns(query.fetch(0)) == []
    assert query.get().n == 0
    assert QStory.all().filter("n >", 100).get() is None
    assert ns(query.run(limit=4, offset=2)) == [2, 3, 4, 5]
    assert ns(query.run(batch_size=3)) == list(range(10))
    assert ns(query.run(offset=9)) == [9]
    assert ns(query.run(offset=10)) == []
    assert ns(query) == list(range(10))
    assert query[3].n == 3
    assert ns(query[2:5]) == [2, 3, 4]
    assert query[5:2] == []
    with pytest.raises(IndexError):
        query[10]
    iterator = query.run()
    assert iter(iterator) is iterator
    assert next(iterator).n == 0
    assert iterator.next().n == 1


def test_offsets_larger_than_one_server_batch(clean_datastore):
    make_stories(650)
    query = QStory.all().order("n")
    assert ns(query.fetch(3, offset=600)) == [600, 601, 602]
    assert query.count(limit=None) == 650
    assert query.count(limit=None, offset=640) == 10
    assert len(list(query.run(offset=320))) == 330


def _settles_at(counted, expected, timeout=5.0):
    """The RunQuery count the proxy has seen once in-flight requests arrived (a request ahead is asynchronous)."""
    deadline = time.monotonic() + timeout
    while counted.calls["RunQuery"] < expected and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)  # and nothing more arrives
    return counted.calls["RunQuery"]


def test_batches_stream_with_the_next_one_asked_for_while_this_one_is_read(stories, counted):
    """Streaming, at most one batch ahead: the datastore works on batch n+1 while the caller reads batch n."""
    iterator = QStory.all().order("n").run(batch_size=3)
    assert _settles_at(counted, 0) == 0  # nothing is sent until the first result is wanted
    assert next(iterator).n == 0
    assert _settles_at(counted, 2) == 2  # the first batch, and the second one asked for at once
    assert [next(iterator).n for _ in range(2)] == [1, 2]
    assert _settles_at(counted, 2) == 2  # never more than one batch ahead
    assert next(iterator).n == 3
    assert _settles_at(counted, 3) == 3
    assert ns(iterator) == [4, 5, 6, 7, 8, 9]
    assert counted.calls["RunQuery"] in (4, 5)  # the emulator may need one empty batch to say "done"
    counted.reset_counts()
    assert ns(QStory.all().order("n").run(limit=5, prefetch_size=2, batch_size=4)) == [0, 1, 2, 3, 4]
    assert counted.calls["RunQuery"] == 2
    counted.reset_counts()
    assert ns(QStory.all().order("n").fetch(4)) == [0, 1, 2, 3]
    assert _settles_at(counted, 1) == 1  # the limit is reached: nothing is asked for ahead


def test_count_and_its_legacy_default_limit(clean_datastore):
    make_stories(1005)
    assert QStory.all().count() == 1000  # legacy's count(limit=1000)
    assert QStory.all().count(limit=None) == 1005
    assert QStory.all().count(limit=2000) == 1005
    assert QStory.all().count(5) == 5
    assert QStory.all().count(limit=0) == 0
    assert QStory.all().filter("n >=", 1000).count() == 5
    assert QStory.all().filter("tags =", "odd").count(limit=None) == 502
    assert QStory.all().filter("n IN", [1, 2, 3, 5000]).count() == 3
    assert QStory.all().filter("n !=", 3).count(limit=None) == 1004
    assert db.GqlQuery("SELECT * FROM QStory WHERE n < 10 LIMIT 2").count() == 10  # count ignores LIMIT


def test_keys_only(stories):
    keys = QStory.all(keys_only=True).order("n").fetch(3)
    assert all(isinstance(key, db.Key) for key in keys)
    assert [key.name() for key in keys] == ["s0000", "s0001", "s0002"]
    assert QStory.all(keys_only=True).is_keys_only()
    assert QStory.all(keys_only=True).filter("n =", 4).get() == stories[4].key()
    assert [k.name() for k in QStory.all().order("n").run(keys_only=True, limit=2)] == ["s0000", "s0001"]
    assert [k.name() for k in db.GqlQuery("SELECT __key__ FROM QStory WHERE n > 7")] == ["s0008", "s0009"]


def test_projection_and_distinct(stories):
    query = QStory.all(projection=("n", "title")).filter("n <", 3).order("n")
    found = query.fetch(10)
    assert [(s.n, s.title, s.score) for s in found] == [(0, "title 0", None), (1, "title 1", None),
                                                       (2, "title 2", None)]
    assert db.model_is_projection(found[0])
    with pytest.raises(db.BadRequestError, match="partial entity"):
        found[0].put()  # as legacy: writing it back would drop every property not projected
    with pytest.raises(db.BadRequestError, match="partial entity"):
        db.put([stories[5], found[1]])
    assert QStory.get_by_key_name("s0000").score == 0.0 and QStory.get_by_key_name("s0005").n == 5
    assert query.projection() == ("n", "title")
    distinct = QStory.all(projection=("flag",), distinct=True).order("flag")
    assert distinct.is_distinct()
    assert [s.flag for s in distinct] == [False, True]
    tags = QStory.all(projection=("tags",)).filter("n =", 4).fetch(10)
    assert sorted(s.tags[0] for s in tags) == ["even", "t1"]  # one result per value of a list property
    gql = db.GqlQuery("SELECT DISTINCT flag FROM QStory ORDER BY flag")
    assert [s.flag for s in gql] == [False, True]
    projected_in = QStory.all(projection=("title",)).filter("n IN", [2, 1]).order("-n").fetch(5)
    assert [s.title for s in projected_in] == ["title 2", "title 1"]  # sorted on a property not projected
    assert projected_in[0].n is None


def test_polymodel_queries(clean_datastore):
    db.put([QCat(name="tom", lives=9), QDog(name="rex"), QCat(name="kit", lives=3), QAnimal(name="amoeba")])
    assert sorted(a.name for a in QAnimal.all()) == ["amoeba", "kit", "rex", "tom"]
    assert sorted(type(a).__name__ for a in QAnimal.all()) == ["QAnimal", "QCat", "QCat", "QDog"]
    assert sorted(c.name for c in QCat.all()) == ["kit", "tom"]
    assert [c.name for c in QCat.all().filter("lives >", 5)] == ["tom"]
    assert [d.name for d in QDog.gql("WHERE name = :1", "rex")] == ["rex"]
    assert [c.name for c in QCat.gql("ORDER BY name")] == ["kit", "tom"]
    assert QDog.gql("WHERE name = 'tom'").fetch(5) == []  # the class filter stays even with other filters


def test_kindless_queries(stories, author):
    results = db.Query().filter("__key__ >", author.key()).fetch(100)
    assert all(isinstance(r, QStory) for r in results) and len(results) == 10
    keys = db.Query(keys_only=True).order("__key__").fetch(100)
    assert [k.kind() for k in keys] == ["QAuthor"] + ["QStory"] * 10
    assert [k.name() for k in db.GqlQuery("SELECT __key__ WHERE __key__ < :1", stories[0].key())] == ["ann"]


def test_namespaces(clean_datastore):
    QStory(key_name="default", n=1).put()
    namespace_manager.set_namespace("tenant")
    try:
        QStory(key_name="tenant", n=2).put()
        assert ns(QStory.all()) == [2]  # the current namespace when the query runs
    finally:
        namespace_manager.set_namespace("")
    assert ns(QStory.all()) == [1]
    assert ns(QStory.all(namespace="tenant")) == [2]
    assert ns(db.GqlQuery("SELECT * FROM QStory", _app=(None, "tenant"))) == [2]
    tenant_key = db.Key.from_path("QStory", "tenant", namespace="tenant")
    assert ns(QStory.all().ancestor(tenant_key)) == [2]  # an ancestor brings its namespace
    with pytest.raises(db.BadArgumentError, match="namespace"):
        QStory.all(namespace="other").ancestor(tenant_key).fetch(1)


def test_mutable_queries_never_change_through_another(stories):
    base = QStory.all().filter("n >", 2)
    snapshot = base.run()  # a running iterator keeps the query as it was
    base.order("-n").filter("n <", 6)
    assert ns(base) == [5, 4, 3]
    assert sorted(ns(snapshot)) == [3, 4, 5, 6, 7, 8, 9]
    one, two = QStory.all(), QStory.all()
    one.order("n")
    two.order("-n")
    assert ns(one.fetch(2)) == [0, 1] and ns(two.fetch(2)) == [9, 8]
    assert ns(one.fetch(2)) == [0, 1]  # ndb's Query.order() would have extended the other's list


def test_queries_pickle_without_their_last_run(stories):
    query = QStory.all().filter("n >=", 7).order("-n")
    query.fetch(1)
    copy = pickle.loads(pickle.dumps(query))
    with pytest.raises(AssertionError):
        copy.cursor()
    assert ns(copy) == [9, 8, 7]


def test_works_inside_and_outside_an_ndb_context(stories, ndb_client):
    iterator = QStory.all().order("n").run(batch_size=4)
    first = [next(iterator).n for _ in range(2)]
    with ndb_client.context():  # later batches re-enter the context the iterator started in
        rest = ns(iterator)
    assert first + rest == list(range(10))
    with ndb_client.context():
        iterator = QStory.all().order("n").run(batch_size=4)
        head = next(iterator).n
    assert [head] + ns(iterator) == list(range(10))
    # an iterator started outside a transaction does not join one it is consumed in
    # (the emulator would refuse this non-ancestor query inside a transaction)
    iterator = QStory.all().order("n").run(batch_size=4)
    head = next(iterator).n
    assert [head] + db.run_in_transaction(lambda: ns(iterator)) == list(range(10))


def test_expando_results_carry_dynamic_properties(clean_datastore):
    QBag(key_name="b", label="x", extra=datetime.datetime(2020, 1, 1), sizes=[1, 2]).put()
    bag = QBag.all().get()
    assert bag.extra == datetime.datetime(2020, 1, 1) and bag.sizes == [1, 2]
