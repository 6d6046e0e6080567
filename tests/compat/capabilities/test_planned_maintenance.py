"""Planned maintenance in the Datastore switch entity: declared ahead, seen by every instance, CLI."""

import datetime
import json

import grpc
import pytest
from google.cloud import ndb

from compat import capabilities
from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities import guard
from compat.capabilities.cli import main as cli
from compat.capabilities.maintenance import (
    MAINTENANCE_KIND,
    MAINTENANCE_NAME,
    DatastoreMaintenanceStore,
    Maintenance,
)


class Post(ndb.Model):
    body = ndb.StringProperty()


def _at(clock, seconds):
    return datetime.datetime.fromtimestamp(clock.now + seconds, datetime.timezone.utc)


@pytest.fixture
def store(datastore_fault_proxy, clean_datastore):
    return DatastoreMaintenanceStore()


def test_store_round_trip(store, clock):
    assert store.read() is None
    declared = Maintenance("Upgrade.", start=_at(clock, 60), end=_at(clock, 120), updated_by="ops@host")
    store.write(declared)
    read = store.read()
    assert (read.message, read.start, read.end, read.updated_by) == \
        ("Upgrade.", declared.start, declared.end, "ops@host")
    assert read.source == "datastore"
    store.clear()
    assert store.read() is None


def test_scheduled_window_seen_by_two_instances(store, make_monitor, clock, datastore_fault_proxy):
    """Two monitors stand for two instances: both see the declaration, announced ahead, then enforced."""
    instance_a = make_monitor(stores=[DatastoreMaintenanceStore()], maintenance_cache_seconds=30)
    instance_b = make_monitor(stores=[DatastoreMaintenanceStore()], maintenance_cache_seconds=30,
                              install=False)
    assert instance_a.writes_enabled() and instance_b.writes_enabled()

    # The operator declares a window starting in 10 minutes, for an hour.
    capabilities.declare_maintenance("Read-only 10:00-11:00 UTC: storage upgrade.",
                                     start=_at(clock, 600), end=_at(clock, 4200), store=store)
    # instance A is this process (refreshed at once); B sees it when its cache expires.
    assert instance_a.write_status().summary_status == capabilities.SCHEDULED_FUTURE
    assert instance_b.write_status().summary_status == capabilities.ENABLED
    clock.advance(30)
    status_b = instance_b.write_status()
    assert status_b.summary_status == capabilities.SCHEDULED_FUTURE
    assert status_b.time_until_scheduled == 570
    assert instance_b.maintenance_notice(within=600) == "Read-only 10:00-11:00 UTC: storage upgrade."
    guard.check_write()                                            # still writable before the start

    clock.advance(570)
    proxy = datastore_fault_proxy
    proxy.reject_writes()   # the operator also turns writes off in the database
    client = ndb.Client(project=proxy.project)
    with client.context(cache_policy=False):
        commits = proxy.calls["Commit"]
        with pytest.raises(CapabilityDisabledError, match="storage upgrade") as refused:
            guard.check_write()
        assert refused.value.retry_after == 3600
        assert not capabilities.WRITE_CAPABILITY.is_enabled()
        assert proxy.calls["Commit"] == commits
        assert Post.query().fetch() == []                          # reads are served
    assert not instance_b.writes_enabled()

    clock.advance(3600)
    proxy.allow_all()
    assert instance_a.writes_enabled() and instance_b.writes_enabled()
    assert capabilities.maintenance_notice() is None


def test_store_unreachable_keeps_the_last_known_value(store, make_monitor, clock, datastore_fault_proxy,
                                                      caplog):
    monitor = make_monitor(stores=[DatastoreMaintenanceStore()], maintenance_cache_seconds=30)
    store.write(Maintenance("Upgrade now.", end=_at(clock, 3600)))
    assert not monitor.writes_enabled()
    lookups = datastore_fault_proxy.calls["Lookup"]
    datastore_fault_proxy.reject("Lookup", grpc.StatusCode.UNAVAILABLE, "datastore down")
    clock.advance(30)
    assert not monitor.writes_enabled()                            # last known: still in maintenance
    assert "keeping the last known value" in caplog.text
    for _ in range(5):
        monitor.writes_enabled()                                   # failed reads are cached too
    assert datastore_fault_proxy.calls["Lookup"] == lookups + 1


def test_cli_set_status_clear(store, capsys, datastore_fault_proxy):
    assert cli(["set", "--message", "Back at 11:00 UTC.", "--start", "+10m", "--duration", "1h"]) == 0
    out = capsys.readouterr().out
    assert "Declared read-only maintenance" in out and "Back at 11:00 UTC." in out
    declared = store.read()
    assert declared.message == "Back at 11:00 UTC."
    assert declared.end - declared.start == datetime.timedelta(hours=1)
    assert "@" in declared.updated_by

    assert cli(["status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["declared"]["message"] == "Back at 11:00 UTC."
    assert report["writes"]["status"] == "SCHEDULED_FUTURE"
    assert 590 <= report["writes"]["time_until_scheduled"] <= 600
    assert capabilities.WRITE_CAPABILITY.is_enabled()

    assert cli(["set", "--message", "Now."]) == 0
    capsys.readouterr()
    assert not capabilities.WRITE_CAPABILITY.is_enabled()          # this process refreshes at once
    assert cli(["status"]) == 0
    assert "DISABLED (planned:datastore)" in capsys.readouterr().out

    assert cli(["clear"]) == 0
    assert store.read() is None
    assert capabilities.WRITE_CAPABILITY.is_enabled()


def test_cli_errors(store, capsys, tmp_path, datastore_fault_proxy):
    assert cli(["set", "--message", "x", "--end", "2000-01-01T00:00:00Z"]) == 2
    assert "in the past" in capsys.readouterr().err
    assert cli(["set", "--message", "x", "--start", "2030-01-01T00:00:00"]) == 2
    assert "time zone" in capsys.readouterr().err
    assert cli(["set", "--message", "x", "--duration", "soon"]) == 2
    assert "duration 'soon'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli(["set", "--message", "x", "--end", "+1h", "--duration", "1h"])
    capsys.readouterr()
    # Writes already refused: the switch cannot be written, and the CLI says what to do instead.
    datastore_fault_proxy.reject_writes()
    assert cli(["set", "--message", "too late"]) == 1
    err = capsys.readouterr().err
    assert "PermissionDenied" in err and "COMPAT_READ_ONLY=on" in err
    # The file store works without the database.
    path = tmp_path / "maintenance.json"
    assert cli(["--file", str(path), "set", "--message", "From a file.", "--duration", "30m"]) == 0
    assert json.loads(path.read_text())["message"] == "From a file."
    assert cli(["--file", str(path), "clear"]) == 0
    assert not path.exists()
    assert store.read() is None
    assert (MAINTENANCE_KIND, MAINTENANCE_NAME) == ("_CompatMaintenance", "datastore_v3.write")
