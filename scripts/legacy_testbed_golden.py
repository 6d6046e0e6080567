"""Run tests/compat/testbed/legacy_suite on the real legacy SDK and record the outcomes.

    make golden-testbed          # or: python scripts/legacy_testbed_golden.py [LEGACY_PYTHON]

The legacy SDK (PyPI ``appengine-python-standard``) lives in a venv of its own
(``LEGACY_VENV``, default ``.venv-legacy``, created on first use); compat is
never installed there. The suite's conftest installs the shim only when compat
is importable, so the very same files run on legacy here and on compat in our
suite. The outcomes go to tests/compat/testbed/legacy_outcomes.json, which
tests/compat/testbed/test_legacy_oracle.py holds our copy of the suite to.
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITE = os.path.join(ROOT, "tests", "compat", "testbed", "legacy_suite")
GOLDEN = os.path.join(ROOT, "tests", "compat", "testbed", "legacy_outcomes.json")
_COLLECTOR = '''
import json, sys
outcomes = {}
def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        outcomes[report.nodeid] = report.outcome
def pytest_sessionfinish(session):
    with open(OUT, "w") as handle:
        json.dump(outcomes, handle)
'''


def legacy_python():
    venv = os.environ.get("LEGACY_VENV", os.path.join(ROOT, ".venv-legacy"))
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        subprocess.check_call([python, "-m", "pip", "install", "-q", "appengine-python-standard", "pytest"])
    return python


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    python = argv[0] if argv else legacy_python()
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "outcomes.json")
        with open(os.path.join(work, "collector.py"), "w") as handle:
            handle.write("OUT = %r\n" % out + _COLLECTOR)
        env = dict(os.environ, PYTHONPATH=work)
        subprocess.run(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "collector", "-c", os.devnull,
             "--rootdir", SUITE, SUITE],
            cwd=work, env=env, check=False,
        )
        with open(out) as handle:
            outcomes = json.load(handle)
    version = subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.version('appengine-python-standard'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    tests = {nodeid.split("legacy_suite/", 1)[-1]: outcome for nodeid, outcome in sorted(outcomes.items())}
    with open(GOLDEN, "w") as handle:
        json.dump({"sdk": "appengine-python-standard " + version, "tests": tests}, handle, indent=1, sort_keys=True)
        handle.write("\n")
    print("%d outcomes on the legacy SDK %s -> %s" % (len(tests), version, os.path.relpath(GOLDEN, ROOT)))
    return 0 if all(outcome == "passed" for outcome in tests.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
