"""`db2ndb verify` on a generated legacy test suite: its time against the two plain test runs.

    python bench/verify_bench.py [--tests 1000] [--jobs 1] [--markdown docs/verify.md]

Generates an app (two models, a transaction, a query, memcache) and a legacy
test suite of N unittest tests (testbed, datastore and memcache stubs, about
one entity group written and read per test), converts a copy with db2ndb,
and measures in one run:

* plain original: ``pytest`` on the original through ``compat.install()``;
* plain converted: ``pytest`` on the converted copy (google-cloud-ndb);
* verify: ``db2ndb verify`` (copies, conversion, both sides, a raw snapshot
  of the datastore after every test, coverage of the TODO lines, comparison).

Every run starts its own emulators, as a user's CI would. The ratio reported
is verify / (plain original + plain converted). Nothing here fails on timing.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import _harness  # noqa: E402

APP = '''from google.appengine.api import memcache
from google.appengine.ext import db


class Account(db.Model):
    owner = db.StringProperty(required=True)
    balance = db.IntegerProperty(default=0)
    note = db.TextProperty()
    opened = db.DateTimeProperty(auto_now_add=True)


class Entry(db.Model):
    amount = db.IntegerProperty()
    memo = db.StringProperty()


def open_account(owner, amount):
    account = Account(key_name=owner, owner=owner, balance=amount, note=db.Text("opened"))
    account.put()
    memcache.set("balance:" + owner, amount)
    return account


def deposit(owner, amount):
    def txn():
        account = Account.get_by_key_name(owner)
        account.balance += amount
        Entry(parent=account, amount=amount, memo="deposit").put()
        account.put()
        return account.balance
    balance = db.run_in_transaction(txn)
    memcache.set("balance:" + owner, balance)
    return balance


def richest(limit):
    return [a.owner for a in Account.all().order("-balance").fetch(limit)]
'''

TEST_HEADER = '''import unittest

from google.appengine.api import memcache
from google.appengine.ext import testbed

import bank


class BankTest(unittest.TestCase):

    def setUp(self):
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.testbed.init_datastore_v3_stub()
        self.testbed.init_memcache_stub()

    def tearDown(self):
        self.testbed.deactivate()
'''

TEST_CASE = '''
    def test_{n}(self):
        bank.open_account("owner{n}", {n})
        self.assertEqual({n} + 5, bank.deposit("owner{n}", 5))
        self.assertEqual({n} + 5, memcache.get("balance:owner{n}"))
        self.assertEqual(["owner{n}"], bank.richest(3))
'''

CONFTEST = '''import compat

compat.install()
'''


def generate(root, tests, per_file=50):
    """The app and its suite under ``root``; returns the app folder."""
    app = os.path.join(root, "bank")
    os.makedirs(os.path.join(app, "tests"))
    with open(os.path.join(app, "bank.py"), "w") as handle:
        handle.write(APP)
    with open(os.path.join(app, "tests", "conftest.py"), "w") as handle:
        handle.write(CONFTEST)
    for first in range(0, tests, per_file):
        with open(os.path.join(app, "tests", "test_bank_%04d.py" % first), "w") as handle:
            handle.write(TEST_HEADER)
            for n in range(first, min(first + per_file, tests)):
                handle.write(TEST_CASE.format(n=n))
    return app


def _env(app):
    env = dict(os.environ)
    for name in ("DATASTORE_EMULATOR_HOST", "DATASTORE_PROJECT_ID", "DATASTORE_DATASET"):
        env.pop(name, None)
    env["PYTHONPATH"] = app
    return env


def timed(command, cwd, env):
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    return elapsed, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=1, help="pytest-xdist workers per side (verify -j)")
    parser.add_argument("--markdown", help="write the result table into this file's verify-bench section")
    args = parser.parse_args(argv)
    python = sys.executable
    work = tempfile.mkdtemp(prefix="verify-bench-")
    try:
        original = generate(os.path.join(work, "original"), args.tests)
        converted_root = os.path.join(work, "converted")
        shutil.copytree(os.path.join(work, "original"), converted_root)
        converted = os.path.join(converted_root, "bank")
        subprocess.run([python, "-m", "codemods", converted, "-q"], check=True, capture_output=True)
        xdist = ["-n", str(args.jobs)] if args.jobs > 1 else []
        pytest = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"] + xdist
        _harness.log("plain run, original (shim) ...")
        plain_original, result = timed(pytest + ["tests"], original, _env(original))
        _harness.log("  %.1f s: %s" % (plain_original, result.stdout.strip().splitlines()[-1]))
        _harness.log("plain run, converted (ndb) ...")
        plain_converted, result = timed(pytest + ["tests"], converted, _env(converted))
        _harness.log("  %.1f s: %s" % (plain_converted, result.stdout.strip().splitlines()[-1]))
        _harness.log("db2ndb verify ...")
        report = os.path.join(work, "verify.json")
        verify_time, result = timed([python, "-m", "codemods", "verify", original, "-j", str(args.jobs),
                                     "--report", report], work, _env(original))
        with open(report) as handle:
            data = json.load(handle)
        _harness.log("  %.1f s: %s" % (verify_time, result.stdout.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = verify_time / (plain_original + plain_converted)
    table = "\n".join([
        "| run | seconds |",
        "|---|---|",
        "| plain pytest, original on the shim | %.1f |" % plain_original,
        "| plain pytest, converted on google-cloud-ndb | %.1f |" % plain_converted,
        "| `db2ndb verify` (both sides, snapshots, coverage, comparison) | %.1f |" % verify_time,
        "| of which: side original / side converted (run at the same time) | %.1f / %.1f |" % (
            data["seconds"].get("original", 0), data["seconds"].get("converted", 0)),
        "| **verify / (original + converted)** | **%.2f** |" % ratio,
    ])
    summary = "%d generated tests, -j %d, %d identical. %s." % (
        args.tests, args.jobs, data["summary"]["identical"], _harness.machine_description())
    print(summary)
    print(table)
    if args.markdown:
        _harness.replace_section(args.markdown, "verify-bench", summary + "\n\n" + table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
