"""The optional active probe, against the emulator through the proxy."""

import grpc
import pytest

from compat import capabilities
from compat.capabilities.breaker import BreakerState
from compat.capabilities.classify import Signal
from compat.capabilities.probe import PROBE_KIND, WriteProbe


@pytest.fixture
def probing(datastore_fault_proxy, clean_datastore, make_monitor):
    monitor = make_monitor(probe_interval=60, cooldown=30)
    return datastore_fault_proxy, monitor


def test_probe_runs_at_most_once_per_interval(probing, clock, direct):
    proxy, monitor = probing
    assert capabilities.WRITE_CAPABILITY.is_enabled()
    assert monitor.probe.runs == 1 and monitor.probe.last_signal is Signal.SUCCESS
    for _ in range(5):
        assert capabilities.WRITE_CAPABILITY.is_enabled()
    assert proxy.calls["Commit"] == 1
    clock.advance(60)
    capabilities.writes_enabled()
    assert proxy.calls["Commit"] == 2
    # The probe wrote a real entity, one per host.
    probes = list(direct.query(kind=PROBE_KIND).fetch())
    assert len(probes) == 1


def test_refused_probe_disables_writes_before_any_user_write(probing, clock):
    proxy, monitor = probing
    proxy.reject_writes()
    assert not capabilities.WRITE_CAPABILITY.is_enabled()
    assert monitor.breaker.state is BreakerState.OPEN
    assert capabilities.maintenance_notice() == monitor.settings.default_message
    # No probing during the cool-down.
    clock.advance(29)
    assert not capabilities.writes_enabled()
    assert proxy.calls["Commit"] == 1


def test_probe_is_the_half_open_trial(probing, clock):
    proxy, monitor = probing
    proxy.reject_writes()
    assert not capabilities.writes_enabled()
    clock.advance(30)
    assert not capabilities.writes_enabled()                    # the trial probe was refused again
    assert monitor.breaker.retry_after() == 60
    assert proxy.calls["Commit"] == 2
    proxy.allow_all()
    clock.advance(60)
    assert capabilities.writes_enabled()                        # the trial probe succeeded
    assert monitor.breaker.state is BreakerState.CLOSED
    assert proxy.calls["Commit"] == 3


def test_unreachable_datastore_is_not_read_only(probing, clock):
    proxy, monitor = probing
    proxy.reject_writes(grpc.StatusCode.UNAUTHENTICATED, "bad credentials")
    assert capabilities.writes_enabled()
    assert monitor.probe.last_signal is Signal.NEUTRAL


def test_probe_validation(make_monitor):
    monitor = make_monitor()
    with pytest.raises(ValueError, match="interval"):
        WriteProbe(monitor.breaker, interval=0)
