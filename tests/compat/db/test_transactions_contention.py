"""Contention for real: 20 threads incrementing one counter in transactions on the emulator.

"Exact" means: every call that returned applied its increment exactly once,
every call that raised TransactionFailedError applied nothing, and no other
outcome happened -- so the stored count equals the number of calls that
returned. With enough retries every call returns and the count is the
number of calls.
"""

import threading

import pytest

from compat import db


class TxCounter(db.Model):
    count = db.IntegerProperty(default=0)


def _increment(attempts):
    attempts.append(1)
    counter = TxCounter.get_by_key_name("shared")
    counter.count += 1
    counter.put()
    return counter.count


def _hammer(threads, increments_each, run):
    outcomes = []
    lock = threading.Lock()
    attempts = []
    start = threading.Barrier(threads)

    def worker():
        start.wait()
        for _ in range(increments_each):
            try:
                value = run(attempts)
            except Exception as error:  # noqa: BLE001 - every outcome is recorded and checked
                outcome = error
            else:
                outcome = value
            with lock:
                outcomes.append(outcome)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(60)
    assert not any(thread.is_alive() for thread in pool)
    return outcomes, len(attempts)


@pytest.fixture
def counter(clean_datastore):
    TxCounter(key_name="shared").put()


def test_twenty_threads_with_enough_retries_count_exactly(counter):
    outcomes, attempts = _hammer(20, 1, lambda attempts: db.run_in_transaction_custom_retries(100, _increment,
                                                                                              attempts))
    assert sorted(outcomes) == list(range(1, 21))  # each call saw a distinct committed value
    assert TxCounter.get_by_key_name("shared").count == 20
    assert attempts >= 20


def test_default_retries_count_exactly_what_committed(counter):
    outcomes, attempts = _hammer(20, 3, lambda attempts: db.run_in_transaction(_increment, attempts))
    committed = [o for o in outcomes if isinstance(o, int)]
    failed = [o for o in outcomes if not isinstance(o, int)]
    assert len(outcomes) == 60
    assert all(isinstance(error, db.TransactionFailedError) for error in failed), failed
    assert sorted(committed) == list(range(1, len(committed) + 1))
    assert TxCounter.get_by_key_name("shared").count == len(committed)
    assert attempts > len(outcomes)  # there was contention, and it was retried
