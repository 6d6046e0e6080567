"""compat.db's puts, deletes and transactions in read-only mode, against the emulator through the proxy."""

import datetime
import threading

import grpc
import pytest
from google.api_core import exceptions as core

from compat import capabilities, db
from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities.breaker import BreakerState


class Greeting(db.Model):
    author = db.StringProperty()
    content = db.TextProperty()


@pytest.fixture
def proxied(datastore_fault_proxy, clean_datastore, make_monitor):
    monitor = make_monitor(cooldown=30, unavailable_for=10)
    return datastore_fault_proxy, monitor


def _names(direct):
    return sorted(entity.key.name for entity in direct.query(kind="Greeting").fetch())


def test_writes_refused_at_once_reads_served_then_recovery(proxied, clock, direct):
    proxy, monitor = proxied
    kept = Greeting(key_name="kept", author="ann", content="hello").put()
    assert db.WRITE_CAPABILITY.is_enabled() and db.READ_CAPABILITY.is_enabled()

    proxy.reject_writes(grpc.StatusCode.PERMISSION_DENIED, "writes are disabled for this database")
    with pytest.raises(CapabilityDisabledError) as discovered:
        Greeting(key_name="discovering", content="x").put()
    assert isinstance(discovered.value.__cause__, core.PermissionDenied)
    assert not db.WRITE_CAPABILITY.is_enabled()
    assert db.READ_CAPABILITY.is_enabled()

    commits, begins = proxy.calls["Commit"], proxy.calls["BeginTransaction"]
    ran = []

    def transfer():
        ran.append(True)
        Greeting(key_name="in-txn").put()

    refused_calls = [
        lambda: Greeting(key_name="refused", content="y").put(),
        lambda: db.put([Greeting(key_name="m1"), Greeting(key_name="m2")]),
        lambda: db.delete(kept),
        lambda: Greeting.get(kept).delete(),
        lambda: db.run_in_transaction(transfer),
    ]
    for call in refused_calls:
        with pytest.raises(CapabilityDisabledError, match="read-only"):
            call()
    assert ran == []                                       # the transaction function never ran
    assert (proxy.calls["Commit"], proxy.calls["BeginTransaction"]) == (commits, begins)

    # Reads keep working.
    # (compat.db queries are not implemented yet; gets are.)
    assert Greeting.get_by_key_name("kept").content == "hello"
    assert [g.author for g in db.get([kept, db.Key.from_path("Greeting", "refused")]) if g] == ["ann"]
    assert db.get(kept).author == "ann"

    # Back on: after the cool-down the first write is the trial, then all is normal.
    proxy.allow_all()
    clock.advance(30)
    assert db.WRITE_CAPABILITY.is_enabled()
    db.run_in_transaction(lambda: Greeting(key_name="trial", content="z").put())
    assert monitor.breaker.state is BreakerState.CLOSED
    Greeting(key_name="after").put()
    db.delete(db.Key.from_path("Greeting", "after"))
    assert _names(direct) == ["kept", "trial"]


def test_commit_refused_inside_a_transaction_writes_nothing(proxied, direct):
    proxy, monitor = proxied
    Greeting(key_name="a", content="old").put()
    proxy.reject("Commit", grpc.StatusCode.PERMISSION_DENIED, "writes are disabled",
                 when=lambda method, request: True)

    def update():
        greeting = Greeting.get_by_key_name("a")
        greeting.content = "new"
        greeting.put()
        Greeting(key_name="b", content="new").put()

    with pytest.raises(CapabilityDisabledError):
        db.run_in_transaction_options(db.create_transaction_options(xg=True), update)  # two entity groups
    assert monitor.breaker.state is BreakerState.OPEN
    assert _names(direct) == ["a"]
    assert direct.get(direct.key("Greeting", "a"))["content"] == "old"


def test_a_transient_blip_does_not_trip_the_breaker(proxied, direct):
    proxy, monitor = proxied
    proxy.reject_writes(grpc.StatusCode.UNAVAILABLE, "blip", times=1)
    Greeting(key_name="a").put()                           # ndb retried past the blip
    assert proxy.rejected["Commit"] == 1
    assert monitor.breaker.state is BreakerState.CLOSED
    assert _names(direct) == ["a"]


def test_contention_is_not_read_only(proxied):
    proxy, monitor = proxied
    proxy.reject("Commit", grpc.StatusCode.ABORTED, "too much contention on these datastore entities")
    with pytest.raises(db.TransactionFailedError):
        db.run_in_transaction_custom_retries(0, lambda: Greeting(key_name="a").put())
    assert monitor.breaker.state is BreakerState.CLOSED
    assert db.WRITE_CAPABILITY.is_enabled()


def test_planned_maintenance_refuses_compat_db_writes(datastore_fault_proxy, clean_datastore, direct):
    """The default monitor, reading the switch entity an operator declared."""
    proxy = datastore_fault_proxy
    Greeting(key_name="kept").put()
    end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    capabilities.declare_maintenance("Read-only until 11:00 UTC.", end=end)
    commits = proxy.calls["Commit"]
    with pytest.raises(CapabilityDisabledError, match="Read-only until 11:00 UTC.") as refused:
        Greeting(key_name="new").put()
    assert 3590 < refused.value.retry_after <= 3600
    assert db.WRITE_CAPABILITY.admin_message() == "Read-only until 11:00 UTC."
    assert proxy.calls["Commit"] == commits
    assert Greeting.get_by_key_name("kept") is not None
    capabilities.clear_maintenance()
    Greeting(key_name="new").put()
    assert _names(direct) == ["kept", "new"]


def test_concurrent_compat_db_writers_during_the_switch(proxied, direct):
    proxy, monitor = proxied
    workers = 4
    before, after = threading.Barrier(workers + 1), threading.Barrier(workers + 1)
    outcomes, unexpected = {}, []
    lock = threading.Lock()

    def write(name):
        try:
            db.run_in_transaction_options(db.create_transaction_options(xg=True),  # two entity groups
                                          lambda: db.put([Greeting(key_name=name + "-1"),
                                                          Greeting(key_name=name + "-2")]))
            result = "ok"
        except CapabilityDisabledError:
            result = "refused"
        except Exception as error:
            unexpected.append(error)
            result = "error"
        with lock:
            outcomes[name] = result

    def worker(number):
        write("first-%d" % number)
        before.wait()
        for index in range(5):
            write("racing-%d-%d" % (number, index))
        after.wait()
        write("last-%d" % number)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    before.wait()
    proxy.reject_writes()
    after.wait()
    for thread in threads:
        thread.join()

    assert unexpected == []
    expected = sorted(name + suffix for name, result in outcomes.items() if result == "ok"
                      for suffix in ("-1", "-2"))
    assert _names(direct) == expected
    assert all(outcomes["first-%d" % n] == "ok" for n in range(workers))
    assert all(outcomes["last-%d" % n] == "refused" for n in range(workers))
    assert 1 <= sum(proxy.rejected.values()) <= workers


def test_legacy_import_paths_after_install(make_monitor):
    from compat.install import install, uninstall

    monitor = make_monitor()
    install()
    try:
        from google.appengine.api import capabilities as legacy_capabilities
        from google.appengine.ext import db as legacy_db
        from google.appengine.runtime.apiproxy_errors import CapabilityDisabledError as legacy_error

        assert legacy_capabilities is capabilities
        assert legacy_error is CapabilityDisabledError
        writes = legacy_capabilities.CapabilitySet("datastore_v3", capabilities=["write"])
        assert writes.is_enabled() and legacy_db.WRITE_CAPABILITY.is_enabled()
        monitor.set_override("on", message="Maintenance.")
        assert not writes.is_enabled() and not legacy_db.WRITE_CAPABILITY.is_enabled()
        assert legacy_db.READ_CAPABILITY.is_enabled()
        assert writes.admin_message() == "Maintenance."
    finally:
        uninstall()
