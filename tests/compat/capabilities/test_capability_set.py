"""The legacy CapabilitySet surface and the status values behind it."""

import datetime

import pytest

from compat import capabilities
from compat.capabilities import CapabilitySet, UnknownCapabilityError
from compat.capabilities.maintenance import Maintenance


class _StaticStore:
    """A maintenance store holding one declaration in memory (the stores' read() contract)."""

    source = "static"

    def __init__(self, declaration=None):
        self.declaration = declaration

    def read(self):
        return self.declaration

    def describe(self):
        return "static store"


def _at(clock, seconds):
    return datetime.datetime.fromtimestamp(clock.now + seconds, datetime.timezone.utc)


def test_status_constants_match_the_legacy_enum():
    assert (capabilities.DEFAULT, capabilities.ENABLED, capabilities.SCHEDULED_FUTURE,
            capabilities.SCHEDULED_NOW, capabilities.DISABLED, capabilities.UNKNOWN) == (0, 1, 2, 3, 4, 5)
    assert capabilities.IsEnabledResponse.DISABLED == 4
    assert capabilities.CapabilityConfig.DISABLED == 3


def test_everything_is_enabled_by_default(make_monitor):
    make_monitor()
    for package in ("blobstore", "datastore_v3", "images", "mail", "memcache", "taskqueue",
                    "urlfetch", "xmpp"):
        assert CapabilitySet(package).is_enabled()
        assert CapabilitySet(package).admin_message() == ""
    assert capabilities.WRITE_CAPABILITY.is_enabled()
    assert capabilities.WRITE_CAPABILITY.status().status_name == "ENABLED"


def test_only_datastore_writes_can_be_disabled(make_monitor):
    monitor = make_monitor()
    monitor.set_override("on", message="Upgrading storage until 10:00 UTC.")
    assert not capabilities.WRITE_CAPABILITY.is_enabled()
    assert capabilities.WRITE_CAPABILITY.admin_message() == "Upgrading storage until 10:00 UTC."
    assert capabilities.READ_CAPABILITY.is_enabled()
    assert capabilities.READ_CAPABILITY.admin_message() == ""
    assert CapabilitySet("memcache").is_enabled()
    assert not CapabilitySet("datastore_v3", methods=["Put"]).is_enabled()
    assert not CapabilitySet("datastore_v3", methods=["BeginTransaction"]).is_enabled()
    assert CapabilitySet("datastore_v3", methods=["Get", "RunQuery", "next"]).is_enabled()
    monitor.set_override(None)
    assert capabilities.WRITE_CAPABILITY.is_enabled()


def test_unknown_names_raise_from_the_queries():
    typo = CapabilitySet("datastore_v3", capabilities=["wirte"])  # constructing is fine
    with pytest.raises(UnknownCapabilityError, match="'wirte'.*datastore_v3.*known: \\*, write"):
        typo.is_enabled()
    with pytest.raises(UnknownCapabilityError, match="package 'datastore_v4'"):
        CapabilitySet("datastore_v4").admin_message()
    with pytest.raises(UnknownCapabilityError, match="method 'Frobnicate'"):
        CapabilitySet("datastore_v3", methods=["Frobnicate"]).is_enabled()
    with pytest.raises(UnknownCapabilityError):
        CapabilitySet("mail", capabilities=["write"]).is_enabled()


def test_bad_argument_types_are_named():
    with pytest.raises(TypeError, match="capabilities=\\['write'\\]"):
        CapabilitySet("datastore_v3", capabilities="write")
    with pytest.raises(TypeError, match="package"):
        CapabilitySet(None)


def test_scheduled_maintenance_is_announced_but_still_enabled(make_monitor, clock):
    window = Maintenance("Read-only 02:00-03:00 UTC for an upgrade.",
                         start=_at(clock, 600), end=_at(clock, 4200))
    make_monitor(stores=[_StaticStore(window)])
    write = capabilities.WRITE_CAPABILITY
    status = write.status()
    assert status.summary_status == capabilities.SCHEDULED_FUTURE
    assert status.time_until_scheduled == 600
    assert write.is_enabled()                               # legacy: SCHEDULED_FUTURE is enabled
    assert write.admin_message() == "Read-only 02:00-03:00 UTC for an upgrade."
    with pytest.warns(DeprecationWarning, match="will_remain_enabled_for"):
        assert write.will_remain_enabled_for(300) is True
    with pytest.warns(DeprecationWarning):
        assert write.will_remain_enabled_for(600) is True   # legacy compares with >=
    with pytest.warns(DeprecationWarning):
        assert write.will_remain_enabled_for(601) is False
    assert capabilities.maintenance_notice() == "Read-only 02:00-03:00 UTC for an upgrade."
    assert capabilities.maintenance_notice(within=599) is None

    clock.advance(600)
    status = write.status()
    assert status.summary_status == capabilities.DISABLED
    assert status.retry_after == 3600
    assert not write.is_enabled()
    with pytest.warns(DeprecationWarning):
        assert write.will_remain_enabled_for(0) is False
    assert capabilities.READ_CAPABILITY.is_enabled()

    clock.advance(3600)
    assert write.is_enabled()
    assert write.status().summary_status == capabilities.ENABLED
    assert write.admin_message() == ""
    assert capabilities.maintenance_notice() is None


def test_admin_messages_are_distinct_and_joined_by_two_spaces(make_monitor, clock):
    first = _StaticStore(Maintenance("Storage upgrade.", end=_at(clock, 60)))
    second = _StaticStore(Maintenance("Storage upgrade.", end=_at(clock, 90)))
    third = _StaticStore(Maintenance("Search is rebuilt too.", start=_at(clock, 30)))
    make_monitor(stores=[first, second, third])
    status = capabilities.WRITE_CAPABILITY.status()
    assert status.summary_status == capabilities.DISABLED
    assert capabilities.WRITE_CAPABILITY.admin_message() == "Storage upgrade.  Search is rebuilt too."
    assert status.retry_after == 90


def test_capability_set_can_be_bound_to_a_monitor(make_monitor):
    private = make_monitor(install=False)
    private.set_override("on", message="private")
    bound = CapabilitySet("datastore_v3", capabilities=["write"], monitor=private)
    assert not bound.is_enabled()
    assert capabilities.WRITE_CAPABILITY.is_enabled()   # the default monitor is untouched
    assert repr(bound) == "CapabilitySet('datastore_v3', capabilities=['write'])"
