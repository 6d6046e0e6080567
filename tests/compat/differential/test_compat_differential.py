"""compat's differential suite: legacy ``db`` programs, unmodified, through ``compat.install()`` on the emulator.

Each program in ``programs/`` ran once on the legacy SDK (appengine-python-standard
under testbed; ``make golden`` wrote ``golden/<name>.json``). Here it runs
unconverted after ``compat.install()`` against the emulator, and its
observations must match the golden: values exactly, exceptions by class (the
legacy class must be in the MRO of what compat raised). Observations that
cannot match are declared in ``compat_known_differences.py`` with their reason
(and listed in docs/differences.md).

The programs include generated sweeps (every property type x hostile values,
every key constructor x hostile ids / names / strings, every cursor entry
point x garbage). ``test_match_rate`` checks that at least 99% of all
observations match and prints the figure.
"""

from pathlib import Path

import pytest

from compat_known_differences import KNOWN
from oracle import compare, sides, suite

HERE = Path(__file__).parent
NAMES = suite.program_names(HERE)
PENDING = suite.read_pending(HERE)
_TALLY = {}


@pytest.mark.parametrize("name", NAMES)
def test_install(name, datastore_emulator):
    """The unmodified program observes on compat (``compat.install()``) what it observed on the legacy SDK."""
    original = HERE / "programs" / (name + ".py")
    observed = sides.run_program("install", name, original, original, datastore_emulator)
    legacy = suite.golden(HERE, name)
    _TALLY[name] = (len(legacy), len(compare.differences("install", legacy, observed)))
    suite.check(HERE, "install", name, observed, KNOWN.get(name), (), PENDING.get("install", {}).get(name))


def test_match_rate():
    """At least 99% of the suite's observations match the legacy SDK (known differences count as misses)."""
    if len(_TALLY) != len(NAMES):
        pytest.skip("runs after the whole suite (run the module, not one program)")
    total = sum(count for count, _ in _TALLY.values())
    differing = sum(diffs for _, diffs in _TALLY.values())
    rate = 100.0 * (total - differing) / total
    print("\ncompat differential suite: %d observations in %d programs, %d differ (%.2f%% match)"
          % (total, len(NAMES), differing, rate))
    assert rate >= 99.0, "only %.2f%% of the observations match legacy" % rate
