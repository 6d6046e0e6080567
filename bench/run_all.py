"""`make bench`: every benchmark in one run, results written into docs/performance.md.

Runs bench/datastore_bench.py (the shim vs the raw google-cloud-datastore
client and google-cloud-ndb, against one emulator it starts; a cProfile of
every operation into bench/profiles/ and the ratio chart into
docs/images/datastore-ratios.svg) and
bench/codemod_bench.py (db2ndb vs libcst's no-op and metadata floors, 1 and
2 jobs), and replaces the marked sections of docs/performance.md. Nothing
here fails on timing.
"""

import datetime
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PERFORMANCE = os.path.join(ROOT, "docs", "performance.md")
PROFILES = os.path.join(HERE, "profiles")
CHART = os.path.join(ROOT, "docs", "images", "datastore-ratios.svg")

sys.path.insert(0, HERE)
import _harness  # noqa: E402


def main():
    python = sys.executable
    _harness.log("== shim vs google-cloud-ndb ==")
    subprocess.run([python, os.path.join(HERE, "datastore_bench.py"), "--markdown", PERFORMANCE,
                    "--profiles", PROFILES, "--chart", CHART], check=True, cwd=ROOT)
    _harness.log("== codemod vs libcst floors ==")
    with tempfile.NamedTemporaryFile("r", suffix=".md", delete=False) as handle:
        table_path = handle.name
    try:
        subprocess.run([python, os.path.join(HERE, "codemod_bench.py"), "--markdown", table_path], check=True, cwd=ROOT)
        with open(table_path) as handle:
            table = handle.read().strip()
    finally:
        os.unlink(table_path)
    _harness.log("== db2ndb verify vs two plain test runs ==")
    subprocess.run([python, os.path.join(HERE, "verify_bench.py"), "--markdown", os.path.join(ROOT, "docs", "verify.md")],
                   check=True, cwd=ROOT)
    header = "Measured %s on: %s." % (datetime.date.today().isoformat(), _harness.machine_description())
    _harness.replace_section(PERFORMANCE, "codemod-bench", header + "\n\n" + table)
    _harness.log("docs/performance.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
