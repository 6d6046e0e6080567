"""The optional active probe: a small real write whose outcome feeds the breaker.

Off by default (it costs one entity write per interval per host). When on,
a status query (``is_enabled()``, the middleware, ``maintenance_notice()``)
whose last probe is older than ``interval`` writes one entity,
``_CompatWriteProbe/<hostname>``, with a short deadline and no retries. Its
outcome is recorded in the breaker like any write, so:

* while the breaker is closed, a refused probe opens it before a user's
  write has to fail;
* when the breaker's cool-down is over, the probe *is* the half-open trial,
  so no user's write is spent on finding out.

Only one thread probes at a time; the others answer from the breaker's
current state without waiting.
"""

import datetime
import logging
import socket
import threading
import time

from compat.capabilities.breaker import BreakerState
from compat.capabilities.classify import Signal, classify

log = logging.getLogger(__name__)

PROBE_KIND = "_CompatWriteProbe"
"""Kind of the probe entities: one per host, overwritten at each probe."""


class WriteProbe:
    """Probe whether datastore writes work, at most once per ``interval`` seconds.

    Args:
        breaker: the :class:`~compat.capabilities.breaker.WriteBreaker` fed with results.
        interval: minimum seconds between probes (> 0).
        timeout: deadline of the probe write.
        project, namespace, database: where the probe entity is written.
        clock: monotonic clock (injectable for tests).
    """

    def __init__(self, breaker, interval, timeout=2.0, project=None, namespace=None, database=None,
                 clock=time.monotonic):
        if not interval or interval <= 0:
            raise ValueError("WriteProbe interval must be > 0 seconds, got %r" % (interval,))
        self.breaker = breaker
        self.interval = float(interval)
        self.timeout = float(timeout)
        self.project, self.namespace, self.database = project, namespace, database
        self._clock = clock
        self._lock = threading.Lock()
        self._last_run = None
        self.last_signal = None
        self.runs = 0

    def due(self):
        """True when a probe should run now (interval over, and the breaker would let a write through)."""
        if self._last_run is not None and self._clock() - self._last_run < self.interval:
            state = self.breaker.state
            if state is not BreakerState.HALF_OPEN:
                return False
        return self.breaker.would_allow()

    def maybe_run(self):
        """Run the probe if it is due and no other thread is probing; returns its Signal or None."""
        if not self.due() or not self._lock.acquire(blocking=False):
            return None
        try:
            if not self.due() or not self.breaker.allow():
                return None
            self._last_run = self._clock()
            error = self._write()
            signal = classify(error)
            self.breaker.record_signal(signal, error)
            self.last_signal = signal
            self.runs += 1
            if signal is not Signal.SUCCESS:
                log.info("Datastore write probe: %s", signal.value)
            return signal
        finally:
            self._lock.release()

    def _write(self):
        """Write the probe entity; return the error or None."""
        from google.cloud import datastore

        from compat.capabilities._clients import NO_RETRY, datastore_client

        try:
            client = datastore_client(self.project, self.namespace, self.database)
            entity = datastore.Entity(client.key(PROBE_KIND, socket.gethostname()))
            entity["at"] = datetime.datetime.now(datetime.timezone.utc)
            client.put(entity, retry=NO_RETRY, timeout=self.timeout)
        except Exception as error:  # the outcome is the point: classify it
            return error
        return None

    def reset(self):
        """Forget when the probe last ran."""
        self._last_run = None
        self.last_signal = None
