"""``db2ndb verify``: run the app's own tests before and after conversion and compare them test by test.

1. The SRC trees (and ``--tests`` when it lies outside them) are copied twice
   into a work directory; the user's files are only read.
2. One copy is converted with the same options as a normal run.
3. pytest runs the suite on each copy at the same time (each side in its own
   process, each process with an emulator of its own from compat's pytest
   plugin; with pytest-xdist and ``--jobs N`` each worker has its own), the
   original through ``compat.install()``, the converted one on plain
   google-cloud-ndb. The emulator is reset before every test and snapshot
   after it (codemods.verify.plugin).
4. The two runs are compared per test (codemods.verify.compare) and each
   differing test is tied to the TODO markers its converted code executed.

The work directory and every emulator are removed on success, on failure and
on Ctrl-C (the child pytest processes stop their emulators; compat's reaper
kills them if a child dies).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from codemods.verify.compare import compare_test
from codemods.verify.todos import ran_markers, todo_markers

EXIT_IDENTICAL = 0
EXIT_DIFFERS = 1
EXIT_USAGE = 2
EXIT_CONVERSION_FAILED = 3
EXIT_TESTS_DID_NOT_RUN = 4
EXIT_INTERRUPTED = 130

_IGNORED = shutil.ignore_patterns(".git", ".hg", ".svn", "__pycache__", "*.pyc", ".venv*", "venv", "node_modules",
                                  ".pytest_cache", ".tox", ".mypy_cache")
_EMULATOR_ENV = ("DATASTORE_EMULATOR_HOST", "DATASTORE_PROJECT_ID", "DATASTORE_DATASET")


@dataclass
class VerifyConfig:
    """Everything one verify run needs."""

    sources: List[str]
    target: str = "ndb"
    tests: Optional[str] = None
    pytest_args: List[str] = field(default_factory=list)
    jobs: int = 1
    time_tolerance: float = 5.0
    convert_options: dict = field(default_factory=dict)
    workdir_parent: Optional[str] = None
    timeout: Optional[float] = None
    #: an already converted copy of the single SRC folder (your migration branch) to compare instead of converting
    converted: Optional[str] = None


@dataclass
class VerifyResult:
    """Per-test verdicts, the conversion summary and timings."""

    tests: List[dict] = field(default_factory=list)
    conversion: dict = field(default_factory=dict)
    sides: Dict[str, dict] = field(default_factory=dict)
    seconds: Dict[str, float] = field(default_factory=dict)
    exit_code: int = EXIT_IDENTICAL
    error: Optional[str] = None

    def count(self, status: str) -> int:
        """Number of tests with this status."""
        return sum(1 for test in self.tests if test["status"] == status)


class _Workspace:
    """The work directory: ``original/`` and ``converted/`` copies of the same relative layout."""

    def __init__(self, config: VerifyConfig) -> None:
        paths = [os.path.abspath(p) for p in config.sources]
        self.tests = os.path.abspath(config.tests) if config.tests else None
        roots = [p if os.path.isdir(p) else os.path.dirname(p) for p in paths]
        if self.tests and not any(self.tests == r or self.tests.startswith(r + os.sep) for r in roots):
            roots.append(self.tests if os.path.isdir(self.tests) else os.path.dirname(self.tests))
        self.base = os.path.commonpath(roots) if len(roots) > 1 else os.path.dirname(roots[0])
        self.sources = paths
        self.copied = sorted(set(roots))
        self.converted = os.path.abspath(config.converted) if config.converted else None
        self.path = tempfile.mkdtemp(prefix="db2ndb-verify-", dir=config.workdir_parent)

    def side(self, name: str) -> str:
        return os.path.join(self.path, name)

    def mirror(self, name: str, path: str) -> str:
        """Where ``path`` lives in the copy ``name``."""
        return os.path.join(self.side(name), os.path.relpath(path, self.base))

    def copy(self) -> None:
        for name in ("original", "converted"):
            for root in self.copied:
                source = self.converted if name == "converted" and self.converted else root
                shutil.copytree(source, self.mirror(name, root), ignore=_IGNORED, symlinks=True, dirs_exist_ok=True)

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _convert(config: VerifyConfig, workspace: _Workspace) -> dict:
    from codemods.framework.options import RuleOptions
    from codemods.rules import select_rules
    from codemods.runner.pipeline import MODE_WRITE
    from codemods.runner.run import RunConfig, run

    options = dict(config.convert_options)
    rules = select_rules(config.target, options.pop("only", ()), options.pop("disable", ()))
    paths = [workspace.mirror("converted", p) for p in workspace.copied]
    run_config = RunConfig(
        paths=paths, rule_ids=[r.ID for r in rules],
        options=RuleOptions(target=config.target, **options.pop("rule_options", {})),
        mode=MODE_WRITE, progress=False, **options,
    )
    result = run(run_config)
    return {
        "changed": result.count("changed"), "unchanged": result.count("unchanged"),
        "failed": [{"path": f.path, "error": f.error} for f in result.files if f.status == "failed"],
        "todos": result.todos,
    }


def _side_command(config: VerifyConfig, workspace: _Workspace, side: str, out: str,
                  todos_file: Optional[str]) -> List[str]:
    command = [sys.executable, "-m", "pytest", "-p", "codemods.verify.plugin", "-p", "no:cacheprovider", "-q",
               "--rootdir", workspace.side(side), "--basetemp", os.path.join(workspace.path, "tmp-" + side),
               "--db2ndb-verify-out", out, "--db2ndb-verify-side", side]
    if todos_file:
        command += ["--db2ndb-verify-todos", todos_file]
    if config.jobs > 1:
        command += ["-n", str(config.jobs)]
    command += list(config.pytest_args)
    command.append(workspace.mirror(side, workspace.tests) if workspace.tests else workspace.side(side))
    return command


def _side_env(workspace: _Workspace, side: str, marker: str) -> dict:
    env = dict(os.environ)
    for name in _EMULATOR_ENV:
        env.pop(name, None)  # each side gets fresh emulators of its own
    app_dirs = [workspace.mirror(side, p if os.path.isdir(p) else os.path.dirname(p)) for p in workspace.sources]
    env["PYTHONPATH"] = os.pathsep.join(app_dirs + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env["DB2NDB_VERIFY_RUN"] = marker
    return env


def _read_results(out: str) -> Dict[str, dict]:
    records = {}
    for path in sorted(glob.glob(os.path.join(out, "results-*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    records[record["nodeid"]] = record
    return records


def _stop(processes: List[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGINT)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 20
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()


def _run_sides(config: VerifyConfig, workspace: _Workspace, todos_file: str, result: VerifyResult) -> Dict[str, dict]:
    processes: List[subprocess.Popen] = []
    started_at: List[Tuple[str, float]] = []  # (side, start time) of each process
    logs: Dict[str, Any] = {}
    outs: Dict[str, str] = {}
    try:
        for side in ("original", "converted"):
            out = os.path.join(workspace.path, "results-" + side)
            os.makedirs(out)
            outs[side] = out
            logs[side] = open(os.path.join(workspace.path, side + ".log"), "w+", encoding="utf-8")
            command = _side_command(config, workspace, side, out, todos_file if side == "converted" else None)
            started = time.monotonic()
            process = subprocess.Popen(command, cwd=workspace.side(side), env=_side_env(workspace, side, workspace.path),
                                       stdout=logs[side], stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
            processes.append(process)
            started_at.append((side, started))
        for process, (side, started) in zip(processes, started_at):
            process.wait(timeout=config.timeout)
            result.seconds[side] = round(time.monotonic() - started, 3)
    finally:
        _stop(processes)
    records = {}
    for side in ("original", "converted"):
        logs[side].seek(0)
        log = logs[side].read()
        logs[side].close()
        code = next(p.returncode for p, (p_side, _) in zip(processes, started_at) if p_side == side)
        result.sides[side] = {"pytest_exit": code, "log_tail": "\n".join(log.splitlines()[-30:])}
        records[side] = _read_results(outs[side])
    return records


def _link_todos(test: dict, record: Optional[dict], markers: Dict[str, List[dict]], converted_root: str) -> None:
    executed = (record or {}).get("todo_lines", [])
    test["todos"] = [
        {"file": os.path.relpath(path, converted_root), "line": marker["line"], "rule": marker["rule"],
         "message": marker["message"], "how": how}
        for path, marker, how in ran_markers(markers, executed, test["differences"])
    ] if test["status"] != "identical" else []


def verify(config: VerifyConfig) -> VerifyResult:
    """Run the whole comparison; the work directory is removed whatever happens."""
    result = VerifyResult()
    workspace = _Workspace(config)
    began = time.monotonic()
    try:
        workspace.copy()
        result.conversion = _convert(config, workspace) if not config.converted else {"given": config.converted}
        result.seconds["convert"] = round(time.monotonic() - began, 3)
        if result.conversion.get("failed"):
            result.exit_code = EXIT_CONVERSION_FAILED
            result.error = "the conversion failed on %d file(s)" % len(result.conversion["failed"])
            return result
        converted_files = []
        for root in workspace.copied:
            mirror = workspace.mirror("converted", root)
            converted_files += glob.glob(os.path.join(mirror, "**", "*.py"), recursive=True)
        markers = todo_markers(converted_files)
        todos_file = os.path.join(workspace.path, "todos.json")
        with open(todos_file, "w", encoding="utf-8") as handle:
            json.dump({path: sorted({line for m in found for line in m["lines"]}) for path, found in markers.items()},
                      handle)
        records = _run_sides(config, workspace, todos_file, result)
        for nodeid in sorted(set(records["original"]) | set(records["converted"])):
            test = compare_test(nodeid, records["original"].get(nodeid), records["converted"].get(nodeid),
                                config.time_tolerance)
            _link_todos(test, records["converted"].get(nodeid), markers, workspace.side("converted"))
            result.tests.append(test)
        broken = [side for side, info in result.sides.items() if info["pytest_exit"] not in (0, 1)]
        if broken or not result.tests:
            result.exit_code = EXIT_TESTS_DID_NOT_RUN
            result.error = "pytest could not run the suite on the %s side (exit %s)" % (
                ", ".join(broken) or "either", ", ".join(str(result.sides[s]["pytest_exit"]) for s in broken) or "no tests")
        elif any(test["status"] != "identical" for test in result.tests):
            result.exit_code = EXIT_DIFFERS
        return result
    finally:
        workspace.remove()
        result.seconds["total"] = round(time.monotonic() - began, 3)
