"""What read-only detection costs, and what it saves, against baselines in the same run.

Run: .venv/bin/python bench/bench_read_only.py

1. The guard's cost on the write path: ``check_write()`` + ``record_write_result(None)``
   per write (cached state), against an empty Python call pair.
2. A plain google-cloud-ndb ``put`` through a guarded client vs an unguarded
   one, both through the fault proxy in front of a fresh emulator (ratio > 1
   is the interceptor's overhead).
3. A write while the database refuses writes with UNAVAILABLE: raw ndb
   (retries with backoff until ``RetryError``) vs the guarded client once the
   breaker is open (``CapabilityDisabledError`` before any RPC).
"""

import statistics
import time
import timeit

import grpc
from google.api_core import exceptions as core
from google.cloud import ndb

from compat import capabilities
from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities import guard
from compat.testing.emulator import Emulator
from compat.testing.fault_proxy import DatastoreFaultProxy


class Row(ndb.Model):
    value = ndb.IntegerProperty()


def _noop():
    pass


def _noop_record(error=None):
    pass


def bench_guard_calls():
    capabilities.configure(maintenance_store="none")
    capabilities.writes_enabled()

    def guarded():
        guard.check_write()
        guard.record_write_result(None)

    def baseline():
        _noop()
        _noop_record(None)

    guarded_us = min(timeit.repeat(guarded, number=20000, repeat=5)) / 20000 * 1e6
    baseline_us = min(timeit.repeat(baseline, number=20000, repeat=5)) / 20000 * 1e6
    print("guard per write:      %7.2f us   (empty calls %.2f us, ratio %.1f)"
          % (guarded_us, baseline_us, guarded_us / baseline_us))


def _put_times(client, count, prefix):
    times = []
    with client.context(cache_policy=False):
        for index in range(count):
            started = time.perf_counter()
            Row(id="%s-%d" % (prefix, index), value=index).put()
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e3


def bench_puts(proxy):
    plain = ndb.Client(project=proxy.project)
    guarded = capabilities.guard_ndb_client(ndb.Client(project=proxy.project))
    _put_times(plain, 20, "warm-plain")
    _put_times(guarded, 20, "warm-guarded")
    plain_ms = min(_put_times(plain, 100, "plain-%d" % run) for run in range(3))
    guarded_ms = min(_put_times(guarded, 100, "guarded-%d" % run) for run in range(3))
    print("ndb put (median):     %7.3f ms guarded vs %.3f ms plain   ratio %.3f"
          % (guarded_ms, plain_ms, guarded_ms / plain_ms))
    return plain, guarded


def bench_refused_write(proxy, plain, guarded):
    proxy.reject_writes(grpc.StatusCode.UNAVAILABLE, "backend unavailable")
    with plain.context(cache_policy=False):
        started = time.perf_counter()
        try:
            Row(id="x").put()
        except core.RetryError:
            pass
        raw_s = time.perf_counter() - started
    capabilities.configure(maintenance_store="none", unavailable_for=0)
    with guarded.context(cache_policy=False):
        try:
            Row(id="trip").put(retries=0)
        except CapabilityDisabledError:
            pass
        samples = []
        for _ in range(200):
            started = time.perf_counter()
            try:
                Row(id="y").put()
            except CapabilityDisabledError:
                pass
            samples.append(time.perf_counter() - started)
    guarded_ms = statistics.median(samples) * 1e3
    print("write while refused:  %7.3f ms guarded (breaker open) vs %.1f s raw ndb retrying   ratio %.5f"
          % (guarded_ms, raw_s, guarded_ms / 1e3 / raw_s))
    proxy.allow_all()


def main():
    bench_guard_calls()
    emulator = Emulator.start(project="bench-read-only")
    try:
        with emulator.exported(), DatastoreFaultProxy(emulator.host) as proxy, proxy.exported():
            proxy.project = emulator.project
            capabilities.configure(maintenance_store="none")
            plain, guarded = bench_puts(proxy)
            bench_refused_write(proxy, plain, guarded)
    finally:
        emulator.stop()
        capabilities.reset()


if __name__ == "__main__":
    main()
