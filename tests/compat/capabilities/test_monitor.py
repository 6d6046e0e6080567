"""The monitor combining the sources, the guard seam, the file store and the environment override."""

import datetime
import json
import threading

import pytest
from google.api_core import exceptions as core

from compat import capabilities
from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities import guard
from compat.capabilities.maintenance import FileMaintenanceStore, Maintenance, MaintenanceError, parse_when
from compat.capabilities.settings import Settings


def _iso(clock, seconds):
    return datetime.datetime.fromtimestamp(clock.now + seconds, datetime.timezone.utc).isoformat()


def test_guard_refuses_before_the_rpc_once_the_breaker_opens(make_monitor, clock):
    make_monitor(cooldown=30)
    guard.check_write()                                        # enabled: no exception
    with pytest.raises(CapabilityDisabledError) as discovered:
        guard.record_write_result(core.PermissionDenied("writes disabled"))
    assert isinstance(discovered.value.__cause__, core.PermissionDenied)
    assert discovered.value.reasons == ("breaker",)
    with pytest.raises(CapabilityDisabledError) as refused:
        guard.check_write()
    assert refused.value.retry_after == 30
    assert "read-only" in str(refused.value)
    assert not capabilities.writes_enabled()

    clock.advance(30)
    guard.check_write()                                        # the half-open trial goes through
    elsewhere = []

    def second_writer():
        try:
            guard.check_write()
        except CapabilityDisabledError as error:
            elsewhere.append(error)

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join()
    assert len(elsewhere) == 1                                 # another thread waits for the trial
    assert guard.record_write_result(None) is None
    guard.check_write()
    assert capabilities.writes_enabled()


def test_neutral_errors_are_returned_as_none(make_monitor):
    make_monitor()
    assert guard.record_write_result(core.Aborted("contention")) is None
    assert guard.record_write_result(core.ServiceUnavailable("blip")) is None   # not persistent yet
    guard.check_write()


def test_override_on_and_off(make_monitor, clock, tmp_path):
    path = tmp_path / "maintenance.json"
    path.write_text(json.dumps({"message": "Planned.", "end": _iso(clock, 600)}))
    monitor = make_monitor(stores=[FileMaintenanceStore(path)])
    assert not capabilities.writes_enabled()
    monitor.set_override("off")                  # e.g. the migration job itself
    assert capabilities.writes_enabled()
    guard.check_write()
    with pytest.raises(CapabilityDisabledError):
        guard.record_write_result(core.PermissionDenied("really refused"))
    assert not capabilities.writes_enabled()     # the breaker still protects an 'off' process
    monitor.set_override("on", message="Forced.")
    status = capabilities.write_status()
    assert status.reasons[0] == "override" and status.admin_message.startswith("Forced.")
    with pytest.raises(ValueError, match="use on, off or auto"):
        monitor.set_override("maybe")


def test_environment_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("COMPAT_READ_ONLY", "on")
    monkeypatch.setenv("COMPAT_READ_ONLY_MESSAGE", "Env says read-only.")
    monkeypatch.setenv("COMPAT_MAINTENANCE_STORE", "none")
    capabilities.reset()
    assert not capabilities.WRITE_CAPABILITY.is_enabled()
    assert capabilities.WRITE_CAPABILITY.admin_message() == "Env says read-only."
    with pytest.raises(CapabilityDisabledError, match="Env says read-only"):
        guard.check_write()

    monkeypatch.setenv("COMPAT_READ_ONLY", "sometimes")
    with pytest.raises(ValueError, match="COMPAT_READ_ONLY='sometimes'"):
        Settings.from_environment()
    monkeypatch.setenv("COMPAT_READ_ONLY", "auto")
    monkeypatch.setenv("COMPAT_WRITE_PROBE_SECONDS", "soon")
    with pytest.raises(ValueError, match="COMPAT_WRITE_PROBE_SECONDS"):
        Settings.from_environment()
    with pytest.raises(TypeError, match="unknown read-only setting"):
        Settings.from_environment(environ={}, cooldwn=3)


def test_file_store_is_reread_when_changed(make_monitor, clock, tmp_path):
    path = tmp_path / "maintenance.json"
    make_monitor(stores=[FileMaintenanceStore(path)])
    assert capabilities.writes_enabled()                       # no file: nothing declared
    FileMaintenanceStore(path).write(Maintenance("Moving data centres.", end=parse_when("+1h", clock_dt(clock))))
    assert capabilities.writes_enabled()                       # still cached ...
    clock.advance(1)
    assert not capabilities.writes_enabled()                   # ... for at most a second
    assert capabilities.WRITE_CAPABILITY.admin_message() == "Moving data centres."
    FileMaintenanceStore(path).clear()
    clock.advance(1)
    assert capabilities.writes_enabled()


def clock_dt(clock):
    return datetime.datetime.fromtimestamp(clock.now, datetime.timezone.utc)


def test_a_broken_file_fails_closed_with_a_logged_reason(make_monitor, tmp_path, caplog):
    path = tmp_path / "maintenance.json"
    path.write_text('{"message": "Upgrade", "start": "tomorrow"}')
    make_monitor(stores=[FileMaintenanceStore(path)])
    status = capabilities.write_status()
    assert not status.enabled
    assert status.reasons == ("planned:file:invalid",)
    assert "'tomorrow' is not an ISO 8601 timestamp" in caplog.text
    with pytest.raises(MaintenanceError, match="not valid JSON"):
        path.write_text("{")
        FileMaintenanceStore(path).read()


def test_maintenance_validation():
    now = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    with pytest.raises(MaintenanceError, match="non-empty admin message"):
        Maintenance("  ")
    with pytest.raises(MaintenanceError, match="no time zone"):
        Maintenance("x", start=datetime.datetime(2030, 1, 1))
    with pytest.raises(MaintenanceError, match="not after its start"):
        Maintenance("x", start=now, end=now)
    with pytest.raises(MaintenanceError, match="unknown maintenance field"):
        Maintenance.from_json({"message": "x", "until": "soon"})
    assert parse_when("+90s", now) == now + datetime.timedelta(seconds=90)
    assert parse_when("2h", now) == now + datetime.timedelta(hours=2)
    assert parse_when("now", now) == now
    assert parse_when("2030-01-01T09:00:00+09:00", now) == now
    assert parse_when("2030-01-01T00:00:00Z", now) == now
    with pytest.raises(MaintenanceError, match="time zone"):
        parse_when("2030-01-01T00:00:00", now, "start")


def test_retry_after_falls_back_to_the_default(make_monitor):
    monitor = make_monitor(default_retry_after=45)
    monitor.set_override("on")
    assert monitor.retry_after() == 45
    with pytest.raises(CapabilityDisabledError) as refused:
        monitor.check_write()
    assert refused.value.retry_after == 45
    assert refused.value.admin_message == monitor.settings.default_message
