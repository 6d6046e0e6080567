"""compat works without an ndb context, inside the caller's, in threads, and per WSGI request."""

import threading

from google.cloud import ndb
from google.cloud.ndb import context as ndb_context

import compat
from compat import _context, db
from compat.wsgi import ContextMiddleware


class ContextCounter(db.Model):
    value = db.IntegerProperty(default=0)


def test_no_context_needed_and_none_left_behind(datastore):
    assert ndb_context.get_context(False) is None
    key = ContextCounter(value=1).put()
    assert ContextCounter.get(key).value == 1
    assert ndb_context.get_context(False) is None


def test_caller_can_open_an_ndb_context_after_compat_calls(datastore, ndb_client):
    ContextCounter(key_name="a").put()
    with ndb_client.context() as context:  # would fail if compat had left a context entered
        assert ndb_context.get_context() is context
        assert ContextCounter.get_by_key_name("a") is not None


def test_implicit_contexts_are_per_thread(datastore):
    seen = {}
    errors = []

    def work(index):
        try:
            with _context.ensure() as context:
                seen[index] = context
            for step in range(5):
                key = ContextCounter(key_name="t%d-%d" % (index, step), value=step).put()
                assert ContextCounter.get(key).value == step
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({id(context) for context in seen.values()}) == 8
    assert len(db.get([db.Key.from_path("ContextCounter", "t%d-%d" % (i, s)) for i in range(8) for s in range(5)])) == 40


def test_compat_context_block(datastore):
    with compat.context() as outer:
        assert ndb_context.get_context() is outer
        ContextCounter(key_name="block").put()
        with compat.context() as inner:
            assert inner is not outer
            assert ContextCounter.get_by_key_name("block") is not None
        assert ndb_context.get_context() is outer
    assert ndb_context.get_context(False) is None


def test_async_result_completes_in_another_context(datastore, ndb_client):
    pending = db.put_async(ContextCounter(key_name="async", value=3))
    with ndb_client.context():
        key = pending.get_result()
    assert key.name() == "async"
    assert ContextCounter.get(key).value == 3
    fetch = db.get_async([key, db.Key.from_path("ContextCounter", "missing")])
    assert [None if e is None else e.value for e in fetch.get_result()] == [3, None]


def test_wsgi_middleware_gives_each_request_a_context(datastore):
    contexts = []

    def app(environ, start_response):
        contexts.append(ndb_context.get_context())
        key = ContextCounter(key_name=environ["PATH_INFO"].strip("/"), value=len(contexts)).put()
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield str(ContextCounter.get(key).value).encode()

    wrapped = ContextMiddleware(app)
    bodies = [b"".join(wrapped({"PATH_INFO": "/r%d" % i}, lambda *a: None)) for i in range(3)]
    assert bodies == [b"1", b"2", b"3"]
    assert len({id(c) for c in contexts}) == 3
    assert ndb_context.get_context(False) is None


def test_reset_client_follows_the_environment(datastore, monkeypatch):
    before = compat.get_client()
    compat.reset_client()
    after = compat.get_client()
    assert after is not before and after.project == before.project
    key = ContextCounter(value=9).put()
    assert ContextCounter.get(key).value == 9


def test_configure_with_an_explicit_client(datastore, datastore_emulator):
    client = ndb.Client(project=datastore_emulator.project)
    compat.configure(client=client)
    try:
        assert compat.get_client() is client
        key = ContextCounter(value=4).put()
        assert ContextCounter.get(key).value == 4
    finally:
        compat.configure(client=None)


def test_async_result_awaited_inside_a_later_transaction(datastore):
    key = ContextCounter(key_name="before", value=5).put()
    pending = db.get_async(key)
    pending_put = db.put_async(ContextCounter(key_name="started-before", value=6))

    def txn():
        counter = pending.get_result()
        counter.value += 1
        counter.put()
        return pending_put.get_result()

    written = db.run_in_transaction(txn)
    assert ContextCounter.get(key).value == 6
    assert ContextCounter.get(written).value == 6


def test_eventual_read_inside_a_transaction_is_a_legacy_error(datastore):
    key = ContextCounter(key_name="eventual").put()
    config = db.create_config(read_policy=db.EVENTUAL_CONSISTENCY)
    assert ContextCounter.get(key, config=config) is not None

    def txn():
        db.get(key, config=config)

    import pytest as _pytest

    with _pytest.raises(db.BadRequestError, match="transaction"):
        db.run_in_transaction(txn)
