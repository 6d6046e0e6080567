"""The pytest plugin ``db2ndb verify`` loads into each side's test run (``-p codemods.verify.plugin``).

Per test: the emulator (compat's pytest plugin's session emulator: one per
process, so one per pytest-xdist worker) is reset before the test; after its
teardown the datastore is snapshot raw (codemods.verify.snapshot); the
outcome is recorded with the exception class. On the original side
``compat.install()`` runs before collection; on the converted side
coverage.py records, per test (dynamic context = test id), which of the
lines carrying a TODO(db2ndb) marker ran. Results are written as JSON lines
to ``--db2ndb-verify-out``, one file per process.
"""

from __future__ import annotations

import datetime
import json
import os

import pytest

_RESULTS = pytest.StashKey[dict]()


def pytest_addoption(parser):
    group = parser.getgroup("db2ndb verify")
    group.addoption("--db2ndb-verify-out", default=None, help="folder for this side's results")
    group.addoption("--db2ndb-verify-side", default="original", choices=["original", "converted"])
    group.addoption("--db2ndb-verify-todos", default=None, help="JSON {file: [lines]} of TODO statements")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    out = config.getoption("--db2ndb-verify-out")
    if not out:
        return
    if config.getoption("--db2ndb-verify-side") == "original":
        import compat

        compat.install()
    state = {"out": out, "records": {}, "coverage": None, "todo_lines": {}}
    todos_path = config.getoption("--db2ndb-verify-todos")
    if todos_path:
        with open(todos_path, encoding="utf-8") as handle:
            state["todo_lines"] = {path: set(lines) for path, lines in json.load(handle).items()}
        if state["todo_lines"]:
            import coverage

            cov = coverage.Coverage(data_file=None, include=sorted(state["todo_lines"]), config_file=False)
            cov.start()
            state["coverage"] = cov
    config.stash[_RESULTS] = state


def _state(item):
    return item.config.stash.get(_RESULTS, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    state = _state(item)
    if state is None:
        yield
        return
    from compat.testing import _current

    emulator = _current.current()
    emulator.reset()
    record = state["records"].setdefault(item.nodeid, {"outcome": "passed", "exception": None})
    record["start"] = datetime.datetime.utcnow().isoformat()
    if state["coverage"] is not None:
        state["coverage"].switch_context(item.nodeid)
    yield
    if state["coverage"] is not None:
        state["coverage"].switch_context("")
    record["entities"] = _snapshot(state, emulator)


def _snapshot(state, emulator):
    snapshotter = state.get("snapshotter")
    if snapshotter is None:
        from codemods.verify.snapshot import Snapshotter

        snapshotter = state["snapshotter"] = Snapshotter(emulator.host, emulator.project)
    return snapshotter.take()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    state = _state(item)
    if state is None:
        return
    report = outcome.get_result()
    record = state["records"].setdefault(item.nodeid, {"outcome": "passed", "exception": None})
    if report.skipped and record["outcome"] == "passed":
        record["outcome"] = "skipped"
    elif report.failed and record["outcome"] in ("passed", "skipped"):
        record["outcome"] = "failed" if call.when == "call" else "error"
        if call.excinfo is not None:
            record["exception"] = call.excinfo.type.__name__
            record["message"] = str(call.excinfo.value)[:500]


def pytest_sessionfinish(session):
    state = session.config.stash.get(_RESULTS, None)
    if state is None:
        return
    executed = {}
    cov = state["coverage"]
    if cov is not None:
        cov.stop()
        data = cov.get_data()
        for path in data.measured_files():
            wanted = state["todo_lines"].get(path) or state["todo_lines"].get(os.path.realpath(path)) or set()
            for line, contexts in data.contexts_by_lineno(path).items():
                if line in wanted:
                    for context in contexts:
                        if context:
                            executed.setdefault(context, []).append([os.path.realpath(path), line])
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(os.path.join(state["out"], "results-%s.jsonl" % worker), "w", encoding="utf-8") as handle:
        for nodeid, record in state["records"].items():
            record["nodeid"] = nodeid
            record["todo_lines"] = sorted(executed.get(nodeid, []))
            handle.write(json.dumps(record) + "\n")
    if state.get("snapshotter") is not None:
        state["snapshotter"].close()
