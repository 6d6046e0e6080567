"""The legacy-style suite beside this file is the one that passed on the real legacy SDK.

legacy_suite/ is collected by our own run (through compat.install(), on the
emulator); legacy_outcomes.json records the same files' outcomes on
appengine-python-standard (``make golden-testbed``). This test keeps the two
in step: every test of the suite passed on legacy, and no test was added
without re-running it there.
"""

import ast
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE = os.path.join(HERE, "legacy_suite")


def _suite_test_ids():
    ids = set()
    for name in sorted(os.listdir(SUITE)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        with open(os.path.join(SUITE, name), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name.startswith("test"):
                        ids.add("%s::%s::%s" % (name, node.name, item.name))
    return ids


def test_every_legacy_style_test_passed_on_the_legacy_sdk():
    with open(os.path.join(HERE, "legacy_outcomes.json"), encoding="utf-8") as handle:
        golden = json.load(handle)
    assert golden["sdk"].startswith("appengine-python-standard")
    assert set(golden["tests"]) == _suite_test_ids()
    assert set(golden["tests"].values()) == {"passed"}
