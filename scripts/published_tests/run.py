"""Run the legacy SDK's own published ``ext/db`` tests against compat, on the Cloud Datastore emulator.

Usage (``make published-tests CHECKOUT=...`` does the same)::

    .venv/bin/python scripts/published_tests/run.py /path/to/appengine-python-standard

The checkout is GoogleCloudPlatform/appengine-python-standard (GitHub); it is
read, never copied into this repository. The test files
``tests/google/appengine/ext/db/{polymodel,metadata,stats}_test.py`` run
unmodified: ``compat.install()`` serves ``db``, ``polymodel``, ``metadata``
and ``stats``, and ``adapter.py`` serves their harness (a registered
datastore stub wipes the emulator). The emulator comes from
``DATASTORE_EMULATOR_HOST`` or is started for the run.

A few tests are excluded, each with its reason (``EXCLUDED`` below, also
listed in docs/differences.md). The exit status is 1 when a test that is not
excluded fails, or an excluded one starts passing (then the list is stale).
"""

import argparse
import importlib.util
import os
import pathlib
import sys
import unittest

HERE = pathlib.Path(__file__).resolve().parent
TEST_FILES = ("polymodel_test.py", "metadata_test.py", "stats_test.py")
TEST_DIR = pathlib.Path("tests/google/appengine/ext/db")

_STATS_REASON = ("its setUp writes the statistics itself, as entities of the reserved __Stat_*__ kinds; Cloud "
                 "Datastore (and the emulator) refuse any write to a reserved kind (BadRequestError), so there is "
                 "nothing to read. The models and their empty results are checked by the differential program "
                 "x003_stats_models.")

#: ``file:Class.test`` (or ``file:*``) -> (why it cannot pass on Cloud Datastore, text its error must show).
EXCLUDED = {
    "stats_test.py:*": (_STATS_REASON, "is reserved"),
}


def _excluded(file_name, test):
    name = "%s:%s.%s" % (file_name, type(test).__name__, test._testMethodName)
    return EXCLUDED.get(name) or EXCLUDED.get(file_name + ":*") or (None, None)


def _load(path, module_name):
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def _tests(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from _tests(item)
        else:
            yield item


def run(checkout, verbose=False):
    """Run every published test file; return ``(rows, ok)`` with one ``(file, test, outcome, detail)`` per test."""
    sys.path.insert(0, str(HERE))
    import adapter

    import compat
    from compat.testing.emulator import running_emulator

    rows = []
    with running_emulator() as emulator:
        compat.reset_client()
        compat.install()
        adapter.install(emulator)
        for file_name in TEST_FILES:
            path = pathlib.Path(checkout) / TEST_DIR / file_name
            module = _load(path, "published_" + file_name[:-3])
            suite = unittest.defaultTestLoader.loadTestsFromModule(module)
            for test in _tests(suite):
                reason, symptom = _excluded(file_name, test)
                result = unittest.TestResult()
                test.run(result)
                problems = result.errors + result.failures
                detail = problems[0][1].strip().splitlines()[-1] if problems else ""
                if reason:
                    if not problems:
                        outcome, detail = "excluded (passes: stale exclusion)", "passed although excluded"
                    elif symptom not in problems[0][1]:
                        outcome = "excluded (fails for another reason)"
                    else:
                        outcome, detail = "excluded", reason
                else:
                    outcome = "passed" if not problems else "FAILED"
                rows.append((file_name, test._testMethodName, outcome, detail))
                if verbose or outcome != "passed":
                    print("%-22s %-45s %-10s %s" % (file_name, test._testMethodName, outcome, detail[:160]))
    ok = all(outcome in ("passed", "excluded") for _, _, outcome, _ in rows)
    return rows, ok


def main(argv=None):
    """Command line: the checkout path; ``-v`` lists every test."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", nargs="?", default=os.environ.get("APPENGINE_PYTHON_STANDARD"),
                        help="a checkout of GoogleCloudPlatform/appengine-python-standard")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not args.checkout or not (pathlib.Path(args.checkout) / TEST_DIR).is_dir():
        parser.error("give the path of a checkout of GoogleCloudPlatform/appengine-python-standard "
                     "(it must hold %s)" % TEST_DIR)
    rows, ok = run(args.checkout, args.verbose)
    counts = {}
    for _, _, outcome, _ in rows:
        counts[outcome] = counts.get(outcome, 0) + 1
    print("published ext/db tests: %d run, %s" % (len(rows), ", ".join(
        "%d %s" % (number, outcome) for outcome, number in sorted(counts.items()))))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
