"""The write breaker's state machine and timing, on an injected clock (no sleeps)."""

import threading

import pytest
from google.api_core import exceptions as core

from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities.breaker import BreakerState, WriteBreaker

DENIED = core.PermissionDenied("writes refused")
DOWN = core.ServiceUnavailable("backend down")


def _allow_elsewhere(breaker):
    """breaker.allow() asked from another thread."""
    answer = []
    thread = threading.Thread(target=lambda: answer.append(breaker.allow()))
    thread.start()
    thread.join()
    return answer[0]


@pytest.fixture
def breaker(clock):
    return WriteBreaker(cooldown=30, max_cooldown=100, unavailable_for=10, trial_timeout=5,
                        clock=clock.monotonic)


def test_refusal_opens_for_the_cooldown_then_one_trial(breaker, clock):
    assert breaker.allow()
    breaker.record(DENIED)
    assert breaker.state is BreakerState.OPEN
    assert not breaker.allow()
    assert breaker.retry_after() == 30
    clock.advance(29.9)
    assert not breaker.allow()
    clock.advance(0.1)
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow()          # the trial
    assert not _allow_elsewhere(breaker)   # every other thread waits for its outcome
    breaker.record(None)
    assert breaker.state is BreakerState.CLOSED
    assert breaker.allow() and breaker.allow()


def test_failed_trial_doubles_the_cooldown_up_to_the_cap(breaker, clock):
    breaker.record(DENIED)
    cooldowns = []
    for _ in range(4):
        clock.advance(breaker.retry_after())
        assert breaker.allow()
        breaker.record(DENIED)
        cooldowns.append(breaker.retry_after())
    assert cooldowns == [60, 100, 100, 100]
    clock.advance(100)
    assert breaker.allow()
    breaker.record(None)
    assert breaker.state is BreakerState.CLOSED
    breaker.record(DENIED)
    assert breaker.retry_after() == 30  # a fresh outage starts from the base cool-down


def test_unavailable_counts_only_when_it_persists(breaker, clock):
    breaker.record(DOWN)
    clock.advance(9)
    breaker.record(DOWN)
    assert breaker.state is BreakerState.CLOSED
    breaker.record(None)             # a success in between: the outage did not persist
    clock.advance(5)
    breaker.record(DOWN)
    clock.advance(9.9)
    breaker.record(DOWN)
    assert breaker.state is BreakerState.CLOSED
    clock.advance(0.1)
    breaker.record(DOWN)
    assert breaker.state is BreakerState.OPEN
    assert "UNAVAILABLE" in breaker.last_error


def test_retry_error_over_unavailable_opens_at_once(breaker):
    breaker.record(core.RetryError("retries exhausted", cause=DOWN))
    assert breaker.state is BreakerState.OPEN


def test_contention_and_our_own_refusals_do_not_count(breaker):
    for _ in range(10):
        breaker.record(core.Aborted("too much contention"))
        breaker.record(CapabilityDisabledError("refused locally"))
        breaker.record(core.InvalidArgument("bad entity"))
    assert breaker.state is BreakerState.CLOSED
    assert breaker.opened_count == 0


def test_neutral_trial_outcome_leaves_it_undecided(breaker, clock):
    breaker.record(DENIED)
    clock.advance(30)
    assert breaker.allow()
    breaker.record(core.InvalidArgument("the trial entity was bad"))
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow()           # the next write is the trial
    breaker.record(None)
    assert breaker.state is BreakerState.CLOSED


def test_unavailable_trial_reopens(breaker, clock):
    breaker.record(DENIED)
    clock.advance(30)
    assert breaker.allow()
    breaker.record(DOWN)
    assert breaker.state is BreakerState.OPEN
    assert breaker.retry_after() == 60


def test_lost_trial_frees_the_slot_after_trial_timeout(breaker, clock):
    breaker.record(DENIED)
    clock.advance(30)
    assert breaker.allow()           # the trial's caller never reports back
    clock.advance(4.9)
    assert not _allow_elsewhere(breaker)
    assert breaker.retry_after() == pytest.approx(0.1)
    clock.advance(0.1)
    assert _allow_elsewhere(breaker)


def test_late_success_of_a_write_sent_before_opening_is_ignored(breaker):
    breaker.record(DENIED)
    breaker.record(None)
    assert breaker.state is BreakerState.OPEN


def test_reset_and_validation(breaker):
    breaker.record(DENIED)
    breaker.reset()
    assert breaker.state is BreakerState.CLOSED and breaker.last_error is None
    with pytest.raises(ValueError, match="cooldown"):
        WriteBreaker(cooldown=-1)
    with pytest.raises(ValueError, match="max_cooldown"):
        WriteBreaker(cooldown=60, max_cooldown=10)


def test_the_trial_thread_may_write_again_others_may_not(breaker, clock):
    breaker.record(DENIED)
    clock.advance(30)
    assert breaker.allow()                   # a transaction begins: the trial
    assert breaker.allow()                   # its puts, same thread
    assert not _allow_elsewhere(breaker)
    breaker.record(None)
    assert breaker.state is BreakerState.CLOSED
