"""A plain google-cloud-ndb client guarded by the interceptor, against the emulator through the proxy."""

import threading

import grpc
import pytest
from google.api_core import exceptions as core
from google.cloud import ndb

from compat import capabilities
from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities.breaker import BreakerState


class Note(ndb.Model):
    text = ndb.StringProperty()


@pytest.fixture
def guarded(datastore_fault_proxy, clean_datastore, make_monitor):
    """(proxy, guarded ndb client, monitor on the fake clock)."""
    monitor = make_monitor(cooldown=30, unavailable_for=10)
    client = capabilities.guard_ndb_client(ndb.Client(project=datastore_fault_proxy.project))
    return datastore_fault_proxy, client, monitor


def _stored(direct, name):
    return direct.get(direct.key("Note", name))


def test_writes_switched_off_mid_run_then_back_on(guarded, direct, clock):
    proxy, client, monitor = guarded
    with client.context(cache_policy=False):
        Note(id="before", text="a").put()
        assert capabilities.WRITE_CAPABILITY.is_enabled()

        proxy.reject_writes(grpc.StatusCode.PERMISSION_DENIED, "writes are disabled")
        # The write that discovers it fails with the legacy error, chained to the gRPC one.
        with pytest.raises(CapabilityDisabledError) as discovered:
            Note(id="discovering", text="b").put()
        assert isinstance(discovered.value.__cause__, core.PermissionDenied)
        assert proxy.rejected["Commit"] == 1
        assert not capabilities.WRITE_CAPABILITY.is_enabled()
        assert capabilities.READ_CAPABILITY.is_enabled()

        # Now every write is refused at once: no RPC reaches the database.
        commits, begins = proxy.calls["Commit"], proxy.calls["BeginTransaction"]
        with pytest.raises(CapabilityDisabledError):
            Note(id="refused", text="c").put()
        with pytest.raises(CapabilityDisabledError):
            ndb.Key(Note, "before").delete()
        with pytest.raises(CapabilityDisabledError):
            ndb.transaction(lambda: Note(id="in-txn", text="d").put())
        with pytest.raises(CapabilityDisabledError):
            ndb.put_multi([Note(id="m1"), Note(id="m2")])
        assert (proxy.calls["Commit"], proxy.calls["BeginTransaction"]) == (commits, begins)

        # Reads keep working, read-only transactions too.
        assert Note.get_by_id("before").text == "a"
        assert [n.key.id() for n in Note.query()] == ["before"]
        assert ndb.transaction(lambda: Note.get_by_id("before").text, read_only=True) == "a"

        # The database recovers; after the cool-down one trial write decides.
        proxy.allow_writes()
        clock.advance(29)
        with pytest.raises(CapabilityDisabledError):
            Note(id="too-early").put()
        clock.advance(1)
        assert capabilities.WRITE_CAPABILITY.is_enabled()       # half-open: let the trial come
        Note(id="trial", text="e").put()
        assert monitor.breaker.state is BreakerState.CLOSED
        Note(id="after", text="f").put()
        ndb.transaction(lambda: Note(id="txn-after", text="g").put())

    for name in ("discovering", "refused", "in-txn", "m1", "m2", "too-early"):
        assert _stored(direct, name) is None, name
    for name in ("before", "trial", "after", "txn-after"):
        assert _stored(direct, name) is not None, name


def test_failed_trial_reopens_without_a_second_rpc(guarded, clock):
    proxy, client, monitor = guarded
    with client.context(cache_policy=False):
        proxy.reject_writes()
        with pytest.raises(CapabilityDisabledError):
            Note(id="a").put()
        clock.advance(30)
        with pytest.raises(CapabilityDisabledError):
            Note(id="trial").put()                             # the trial, refused by the server
        assert proxy.rejected["Commit"] == 2
        assert monitor.breaker.retry_after() == 60             # cool-down doubled
        with pytest.raises(CapabilityDisabledError):
            Note(id="b").put()
        assert proxy.calls["Commit"] == 2


def test_read_only_failed_precondition_counts_but_other_codes_do_not(guarded):
    proxy, client, monitor = guarded
    with client.context(cache_policy=False):
        proxy.reject_writes(grpc.StatusCode.INVALID_ARGUMENT, "entity is too big")
        for _ in range(3):
            with pytest.raises(core.InvalidArgument):
                Note(id="x").put()
        proxy.reject_writes(grpc.StatusCode.FAILED_PRECONDITION, "no matching index found")
        with pytest.raises(core.FailedPrecondition):
            Note(id="x").put()
        assert monitor.breaker.state is BreakerState.CLOSED
        proxy.reject_writes(grpc.StatusCode.FAILED_PRECONDITION, "The database is in read-only mode")
        with pytest.raises(CapabilityDisabledError):
            Note(id="x").put()
        assert monitor.breaker.state is BreakerState.OPEN


def test_persistent_unavailable_opens_and_stops_ndb_retrying(guarded, clock):
    proxy, client, monitor = guarded
    with client.context(cache_policy=False):
        proxy.reject_writes(grpc.StatusCode.UNAVAILABLE, "backend unavailable")
        with pytest.raises(core.ServiceUnavailable):
            Note(id="a").put(retries=0)                       # a blip so far
        assert monitor.breaker.state is BreakerState.CLOSED
        clock.advance(10)
        with pytest.raises(CapabilityDisabledError):
            Note(id="b").put(retries=0)                       # still failing 10 s later: open
        assert monitor.breaker.state is BreakerState.OPEN
        commits = proxy.calls["Commit"]
        # With ndb's default retries the guard ends the retry loop at once.
        with pytest.raises(CapabilityDisabledError):
            Note(id="c").put()
        assert proxy.calls["Commit"] == commits


def test_guarding_is_idempotent_and_can_use_a_private_monitor(datastore_fault_proxy, clean_datastore,
                                                              make_monitor):
    private = make_monitor(install=False)
    private.set_override("on", message="private switch")
    client = ndb.Client(project=datastore_fault_proxy.project)
    assert capabilities.guard_ndb_client(client, monitor=private) is client
    stub = client.stub
    assert capabilities.guard_ndb_client(client) is client and client.stub is stub
    with client.context(cache_policy=False):
        with pytest.raises(CapabilityDisabledError, match="private switch"):
            Note(id="x").put()
        assert Note.get_by_id("x") is None
    assert datastore_fault_proxy.calls["Commit"] == 0


def test_concurrent_requests_during_the_switch(guarded, direct):
    """Threads write while writes go off: each write lands whole or raises CapabilityDisabledError."""
    proxy, client, monitor = guarded
    workers = 4
    before, after = threading.Barrier(workers + 1), threading.Barrier(workers + 1)
    outcomes, errors = {}, []
    lock = threading.Lock()

    def write(name):
        try:
            ndb.transaction(lambda: ndb.put_multi([Note(id=name + "-1"), Note(id=name + "-2")]))
            result = "ok"
        except CapabilityDisabledError:
            result = "refused"
        except Exception as error:  # anything else is a bug
            errors.append(error)
            result = "error"
        with lock:
            outcomes[name] = result

    def worker(number):
        with client.context(cache_policy=False):
            write("first-%d" % number)
            before.wait()
            for index in range(6):
                write("racing-%d-%d" % (number, index))
            after.wait()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    before.wait()
    proxy.reject_writes()
    after.wait()
    for thread in threads:
        thread.join()

    assert errors == []
    assert not capabilities.WRITE_CAPABILITY.is_enabled()
    stored = {entity.key.name for entity in direct.query(kind="Note").fetch()}
    expected = set()
    for name, result in outcomes.items():
        if result == "ok":
            expected |= {name + "-1", name + "-2"}
    assert stored == expected                                  # transactions are all or nothing
    assert all(outcomes["first-%d" % n] == "ok" for n in range(workers))
    # Once the breaker opened, no more writes went out: at most one per thread hit the refusal.
    assert 1 <= proxy.rejected["BeginTransaction"] + proxy.rejected["Commit"] <= workers
