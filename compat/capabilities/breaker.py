"""A circuit breaker fed by write outcomes: the "observed failures" source.

Legacy App Engine told the application that the datastore was read-only.
Cloud Datastore does not, so we infer it: write RPCs that fail with a code
meaning "writes are refused" (see :mod:`compat.capabilities.classify`) open
the breaker. While it is open every write is refused locally, at once, before
any RPC -- no hammering of the database and no 15-second ndb retry loop per
request. After a cool-down the breaker goes half-open and lets exactly one
trial write through; its outcome closes the breaker or opens it again with
a longer cool-down (doubling up to ``max_cooldown``).

All timing uses an injectable monotonic ``clock`` so tests need no sleeps.
"""

import enum
import logging
import threading
import time

from compat.capabilities.classify import Signal, classify, describe

log = logging.getLogger(__name__)

DEFAULT_COOLDOWN = 30.0
DEFAULT_MAX_COOLDOWN = 300.0
DEFAULT_UNAVAILABLE_FOR = 10.0
DEFAULT_TRIAL_TIMEOUT = 60.0


class BreakerState(enum.Enum):
    """The three states of a circuit breaker."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class WriteBreaker:
    """Thread-safe circuit breaker over write outcomes.

    Args:
        cooldown: seconds writes stay refused after the breaker opens.
        max_cooldown: cap for the cool-down, which doubles after each failed trial.
        unavailable_for: UNAVAILABLE / DEADLINE_EXCEEDED only open the breaker
            when they keep coming, with no successful write in between, for at
            least this many seconds.
        trial_timeout: a half-open trial write whose outcome is not reported
            within this many seconds (the caller crashed) frees the trial slot.
        clock: a monotonic clock, ``time.monotonic`` by default.
    """

    def __init__(self, cooldown=DEFAULT_COOLDOWN, max_cooldown=DEFAULT_MAX_COOLDOWN,
                 unavailable_for=DEFAULT_UNAVAILABLE_FOR, trial_timeout=DEFAULT_TRIAL_TIMEOUT,
                 clock=time.monotonic):
        for name, value in (("cooldown", cooldown), ("max_cooldown", max_cooldown),
                            ("unavailable_for", unavailable_for), ("trial_timeout", trial_timeout)):
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError("WriteBreaker %s must be a number of seconds >= 0, got %r" % (name, value))
        if max_cooldown < cooldown:
            raise ValueError("WriteBreaker max_cooldown (%r) is shorter than cooldown (%r)"
                             % (max_cooldown, cooldown))
        self.base_cooldown = float(cooldown)
        self.max_cooldown = float(max_cooldown)
        self.unavailable_for = float(unavailable_for)
        self.trial_timeout = float(trial_timeout)
        self._clock = clock
        self._lock = threading.Lock()
        self._reset_locked()

    def _reset_locked(self):
        self._state = BreakerState.CLOSED
        self._cooldown = self.base_cooldown
        self._open_until = None
        self._unavailable_since = None
        self._trial_started = None
        self._trial_owner = None
        self.last_error = None
        self.opened_count = 0

    def reset(self):
        """Forget everything: closed, no failures seen."""
        with self._lock:
            self._reset_locked()

    # -- queries ---------------------------------------------------------------------

    @property
    def state(self):
        """The current :class:`BreakerState` (an elapsed cool-down reads as HALF_OPEN)."""
        with self._lock:
            return self._current_state_locked(self._clock())

    def _current_state_locked(self, now):
        if self._state is BreakerState.OPEN and now >= self._open_until:
            return BreakerState.HALF_OPEN
        return self._state

    def retry_after(self):
        """Seconds until the cool-down ends (0 when not open)."""
        with self._lock:
            now = self._clock()
            if self._current_state_locked(now) is BreakerState.OPEN:
                return max(0.0, self._open_until - now)
            if self._trial_in_flight_locked(now):
                return max(0.0, self._trial_started + self.trial_timeout - now)
            return 0.0

    def _trial_in_flight_locked(self, now):
        return (self._trial_started is not None
                and now - self._trial_started < self.trial_timeout)

    def would_allow(self):
        """True when a write asked for now would be let through (claims nothing)."""
        with self._lock:
            now = self._clock()
            state = self._current_state_locked(now)
            if state is BreakerState.CLOSED:
                return True
            if state is BreakerState.OPEN:
                return False
            return not self._trial_in_flight_locked(now)

    # -- the write path --------------------------------------------------------------

    def allow(self):
        """Ask to send a write RPC; True means go ahead.

        CLOSED: always. OPEN: never. HALF_OPEN: the first caller becomes the
        trial write; the others are refused until its outcome is recorded.
        The trial's own thread may write again meanwhile (a transaction
        checks before it begins and again for each put inside it).
        """
        with self._lock:
            now = self._clock()
            state = self._current_state_locked(now)
            if state is BreakerState.CLOSED:
                return True
            if state is BreakerState.OPEN:
                return False
            if self._trial_in_flight_locked(now):
                return self._trial_owner == threading.get_ident()
            if self._state is BreakerState.OPEN:
                log.info("Datastore write breaker half-open: letting one trial write through")
            self._state = BreakerState.HALF_OPEN
            self._trial_started = now
            self._trial_owner = threading.get_ident()
            return True

    def record(self, error=None):
        """Record the outcome of a write RPC; returns its :class:`Signal`."""
        signal = classify(error)
        self.record_signal(signal, error)
        return signal

    def record_signal(self, signal, error=None):
        """Record an already classified outcome (used by the probe and the interceptor)."""
        with self._lock:
            now = self._clock()
            state = self._current_state_locked(now)
            if signal is Signal.IGNORED:
                return
            if signal is Signal.SUCCESS:
                self._unavailable_since = None
                if state is BreakerState.HALF_OPEN:
                    self._close_locked()
                # OPEN: a write that started before the breaker opened; it proves nothing now.
                return
            if signal is Signal.NEUTRAL:
                if state is BreakerState.HALF_OPEN:
                    self._trial_started = None  # undecided: the next write is the trial
                return
            if signal is Signal.UNAVAILABLE and state is BreakerState.CLOSED:
                if self._unavailable_since is None:
                    self._unavailable_since = now
                if now - self._unavailable_since < self.unavailable_for:
                    return
            # REFUSED, persistent UNAVAILABLE, or any failure of the trial write.
            self.last_error = describe(error) if error is not None else signal.value
            if state is BreakerState.CLOSED:
                self._open_locked(now, self.base_cooldown)
            elif state is BreakerState.HALF_OPEN:
                self._open_locked(now, min(self._cooldown * 2, self.max_cooldown))
            # Already OPEN: late failures of writes sent before it opened change nothing.

    def _open_locked(self, now, cooldown):
        self._state = BreakerState.OPEN
        self._cooldown = cooldown
        self._open_until = now + cooldown
        self._trial_started = None
        self._unavailable_since = None
        self.opened_count += 1
        log.warning("Datastore writes look disabled (%s): refusing writes locally for %.0f s",
                    self.last_error, cooldown)

    def _close_locked(self):
        log.info("Datastore write breaker closed: a trial write succeeded")
        self._state = BreakerState.CLOSED
        self._cooldown = self.base_cooldown
        self._open_until = None
        self._trial_started = None

    def __repr__(self):
        return "<WriteBreaker %s>" % self.state.value
