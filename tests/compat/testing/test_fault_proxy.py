"""The fault-injection proxy in front of the real emulator, and its pytest fixture."""

import os
import threading

import grpc
import pytest
from google.api_core import exceptions as core
from google.cloud import datastore, ndb

from compat.testing.fault_proxy import METHODS, DatastoreFaultProxy


class Item(ndb.Model):
    value = ndb.IntegerProperty()


@pytest.fixture
def proxied_client(datastore_fault_proxy, clean_datastore):
    """A raw ndb client built while DATASTORE_EMULATOR_HOST points at the proxy."""
    return ndb.Client(project=datastore_fault_proxy.project)


@pytest.fixture
def direct(datastore_emulator):
    """A google-cloud-datastore client talking to the emulator itself, bypassing the proxy."""
    saved = os.environ["DATASTORE_EMULATOR_HOST"]
    os.environ["DATASTORE_EMULATOR_HOST"] = datastore_emulator.host
    try:
        return datastore.Client(project=datastore_emulator.project)
    finally:
        os.environ["DATASTORE_EMULATOR_HOST"] = saved


def test_fixture_exports_the_proxy_and_restores_the_emulator(datastore_fault_proxy, datastore_emulator):
    assert os.environ["DATASTORE_EMULATOR_HOST"] == datastore_fault_proxy.host
    assert datastore_fault_proxy.host != datastore_emulator.host
    assert datastore_fault_proxy.upstream == datastore_emulator.host


def test_fixture_restored_the_variable_afterwards(datastore_emulator):
    # Runs after the test above: the proxy's address is gone again.
    assert os.environ["DATASTORE_EMULATOR_HOST"] == datastore_emulator.host


def test_forwards_every_call_and_counts_it(proxied_client, datastore_fault_proxy, direct):
    proxy = datastore_fault_proxy
    with proxied_client.context(cache_policy=False):
        key = Item(value=1).put()                               # incomplete key: Commit
        assert key.get().value == 1                             # Lookup
        assert [e.value for e in Item.query()] == [1]           # RunQuery
        assert Item.query().count() == 1                        # RunAggregationQuery / RunQuery
        ndb.transaction(lambda: Item(id="t", value=2).put())    # BeginTransaction + Commit
        first, _ = Item.allocate_ids(2)                         # AllocateIds
    assert proxy.calls["Commit"] == 2
    assert proxy.calls["Lookup"] >= 1 and proxy.calls["BeginTransaction"] == 1
    assert proxy.calls["AllocateIds"] == 1
    assert sum(proxy.rejected.values()) == 0
    assert direct.get(direct.key("Item", "t"))["value"] == 2


def test_reject_writes_refuses_writes_and_serves_reads(proxied_client, datastore_fault_proxy, direct):
    proxy = datastore_fault_proxy
    with proxied_client.context(cache_policy=False):
        Item(id="kept", value=1).put()
        proxy.reject_writes(grpc.StatusCode.PERMISSION_DENIED, "writes are off")
        with pytest.raises(core.PermissionDenied, match="writes are off"):
            Item(id="lost", value=2).put()
        with pytest.raises(core.PermissionDenied):
            ndb.transaction(lambda: Item(id="lost-in-txn").put(), retries=0)
        with pytest.raises(core.PermissionDenied):
            Item.get_by_id("kept").key.delete()
        # Reads, including read-only transactions (ndb commits them without mutations), pass.
        assert Item.get_by_id("kept").value == 1
        assert ndb.transaction(lambda: Item.get_by_id("kept").value, read_only=True) == 1
        assert proxy.rejected == {"Commit": 2, "BeginTransaction": 1}
        proxy.allow_writes()
        Item(id="after", value=3).put()
    assert direct.get(direct.key("Item", "lost")) is None
    assert direct.get(direct.key("Item", "lost-in-txn")) is None
    assert direct.get(direct.key("Item", "kept"))["value"] == 1
    assert direct.get(direct.key("Item", "after"))["value"] == 3


def test_times_limits_a_fault_and_other_methods_can_fail(proxied_client, datastore_fault_proxy):
    proxy = datastore_fault_proxy
    with proxied_client.context(cache_policy=False):
        key = Item(id="x", value=1).put()
        proxy.reject("Lookup", grpc.StatusCode.UNAVAILABLE, "flaky read", times=1)
        assert key.get().value == 1                              # ndb retried past one UNAVAILABLE
        assert proxy.rejected["Lookup"] == 1
        proxy.reject("Lookup", grpc.StatusCode.INVALID_ARGUMENT, "bad read",
                     when=lambda method, request: b"x" in request)
        with pytest.raises(core.InvalidArgument, match="bad read"):
            key.get()
        proxy.allow_all()
        assert key.get().value == 1


def test_rejects_bad_rules(datastore_fault_proxy):
    with pytest.raises(ValueError, match="unknown Datastore method"):
        datastore_fault_proxy.reject("Put", grpc.StatusCode.UNAVAILABLE)
    with pytest.raises(ValueError, match="non-OK"):
        datastore_fault_proxy.reject_writes(grpc.StatusCode.OK)
    with pytest.raises(ValueError, match="times"):
        datastore_fault_proxy.reject("Commit", grpc.StatusCode.UNAVAILABLE, times=0)
    assert set(METHODS) >= {"Commit", "Lookup", "BeginTransaction"}


def test_other_services_are_unimplemented_and_stop_is_idempotent(datastore_emulator):
    proxy = DatastoreFaultProxy(datastore_emulator.host).start()
    try:
        channel = grpc.insecure_channel(proxy.host)
        with pytest.raises(grpc.RpcError) as failure:
            channel.unary_unary("/google.firestore.v1.Firestore/GetDocument")(b"", timeout=5)
        assert failure.value.code() == grpc.StatusCode.UNIMPLEMENTED
        channel.close()
    finally:
        proxy.stop()
        proxy.stop()
    with pytest.raises(RuntimeError, match="not started"):
        DatastoreFaultProxy("127.0.0.1:1").host


def test_switching_while_threads_write(proxied_client, datastore_fault_proxy, direct):
    """Writes racing the switch either reach the emulator whole or are refused whole."""
    proxy = datastore_fault_proxy
    workers = 4
    before, during, after = threading.Barrier(workers + 1), threading.Barrier(workers + 1), \
        threading.Barrier(workers + 1)
    outcomes = {}
    lock = threading.Lock()

    def write(name):
        try:
            Item(id=name, value=1).put(retries=0)
            result = "ok"
        except core.PermissionDenied:
            result = "refused"
        with lock:
            outcomes[name] = result

    def writer(worker):
        with proxied_client.context(cache_policy=False):
            for index in range(3):
                write("a%d-%d" % (worker, index))
            before.wait()
            for index in range(5):                      # races the switch
                write("b%d-%d" % (worker, index))
            during.wait()
            after.wait()
            write("c%d" % worker)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    before.wait()
    proxy.reject_writes()
    during.wait()
    after.wait()
    for thread in threads:
        thread.join()
    stored = {entity.key.name for entity in direct.query(kind="Item").fetch()}
    assert stored == {name for name, result in outcomes.items() if result == "ok"}
    assert all(outcomes["a%d-%d" % (w, i)] == "ok" for w in range(workers) for i in range(3))
    assert all(outcomes["c%d" % w] == "refused" for w in range(workers))
    assert proxy.rejected["Commit"] == sum(1 for result in outcomes.values() if result == "refused")
    assert proxy.calls["Commit"] == workers * 9
