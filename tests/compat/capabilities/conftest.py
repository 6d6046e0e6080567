"""Shared helpers for the read-only detection tests: a fake clock and monitors built on it."""

import os

import pytest
from google.cloud import datastore

from compat import capabilities
from compat.capabilities.monitor import WriteMonitor
from compat.capabilities.settings import Settings

_ENVIRONMENT = ("COMPAT_READ_ONLY", "COMPAT_READ_ONLY_MESSAGE", "COMPAT_READ_ONLY_FILE",
                "COMPAT_MAINTENANCE_STORE", "COMPAT_MAINTENANCE_NAMESPACE", "COMPAT_WRITE_PROBE_SECONDS")


class FakeClock:
    """One clock for both the monotonic and the wall-clock needs; only ``advance`` moves it."""

    def __init__(self, start=1_900_000_000.0):
        self.now = float(start)

    def monotonic(self):
        return self.now

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture(autouse=True)
def _isolated_read_only_state(monkeypatch):
    """No operator variables from the developer's shell; a fresh default monitor per test."""
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    capabilities.reset()
    yield
    capabilities.reset()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_monitor(clock):
    """Build a WriteMonitor on the fake clock (no maintenance store unless given) and install it."""

    def make(stores=(), install=True, **settings):
        settings.setdefault("maintenance_store", "none")
        monitor = WriteMonitor(Settings(**settings), clock=clock.monotonic, wall_clock=clock.time,
                               stores=stores)
        if install:
            capabilities.set_monitor(monitor)
        return monitor

    return make


@pytest.fixture
def direct(datastore_emulator):
    """A google-cloud-datastore client reading the emulator itself, bypassing proxy and guard."""
    saved = os.environ.get("DATASTORE_EMULATOR_HOST")
    os.environ["DATASTORE_EMULATOR_HOST"] = datastore_emulator.host
    try:
        return datastore.Client(project=datastore_emulator.project)
    finally:
        os.environ["DATASTORE_EMULATOR_HOST"] = saved
