"""What a differential test module needs: its programs, its goldens, the check, the failures report.

A suite is a folder with ``programs/*.py`` and ``golden/*.json`` (one golden per
program, written by ``make golden``). Its test module parametrizes over
``program_names(folder)`` and calls ``check(...)`` once per program and side.

Known differences: a suite may declare, per side and program, the observations
that are known to differ and what this side observes instead
(``KnownDifference``). ``check`` then asserts that exactly those labels differ
and with exactly those values, so a known difference that changes (fixed, or
different) fails until its declaration is updated; on the ndb side it also
asserts that the converted program carries the declared TODO rule.

Set ``ORACLE_REPORT=FILE`` to have every outcome (``match`` or a one-line
diagnosis) written to FILE as a markdown table when the session ends, and
``ORACLE_WRITE_PENDING=1`` to rewrite each suite's ``pending.json`` from this
run's failures (then review its diff: it is the list of open failures).
"""

import atexit
import json
import os
from dataclasses import dataclass
from pathlib import Path

from oracle import compare, program

OUTCOMES = {}  # (suite, mode, program) -> diagnosis


@dataclass(frozen=True)
class KnownDifference:
    """An observation a side cannot match, declared with what it observes instead and why.

    ``observed`` maps each differing label to the value this side observes
    (normalised JSON); ``todo`` is the db2ndb rule whose TODO marks the offending
    line in the converted program (ndb side); ``reason`` is listed in docs.
    """

    observed: dict
    reason: str
    todo: str = None


def program_names(folder):
    """The suite's program names (``programs/*.py`` and package folders, ``_*`` excluded), sorted."""
    return [p.stem for p in program.program_paths(Path(folder) / "programs")]


def program_paths(folder):
    """The suite's programs (module files and package folders), in name order."""
    return program.program_paths(Path(folder) / "programs")


def program_path(folder, name):
    """The original program ``name`` of the suite (a module file or a package folder)."""
    base = Path(folder) / "programs" / name
    return base if base.is_dir() else base.with_suffix(".py")


def golden(folder, name):
    """The legacy observations of program ``name`` (fails with the regeneration command if missing)."""
    path = Path(folder) / "golden" / (name + ".json")
    if not path.exists():
        raise AssertionError("no golden file %s: run `make golden`" % path)
    return program.read_golden(path)


def check(folder, mode, name, observed, known=None, todos=(), pending=None):
    """Assert that ``observed`` matches the legacy golden of ``name`` on side ``mode``.

    ``known``: a declared ``KnownDifference``: its labels must differ exactly as
    declared; the rest of the program is judged as usual.
    ``pending``: the signature (``compare.signature``) of a failure waiting for a
    fix (the suite's ``pending.json``, listed in /work/coord/h1-failures.md while
    the work is open): the test is reported as xfailed while the program still
    fails in exactly that way, and fails once it matches or fails differently.
    """
    import pytest

    legacy = golden(folder, name)
    key = (str(folder), mode, name)
    if known is not None:
        observed = _without_known(mode, name, legacy, observed, known, todos)
    diagnosis = compare.diagnose(mode, legacy, observed)
    diffs = compare.differences(mode, legacy, observed)
    sig = compare.signature(mode, legacy, observed)
    if not diffs and known is not None:
        sig = diagnosis = "known difference"
    OUTCOMES[key] = (sig, diagnosis)
    if pending is not None:
        assert diffs, "%s on %s now matches legacy: remove it from pending.json" % (name, mode)
        assert sig == pending, "%s on %s fails differently than pending.json says (%s):\n%s\n%s" % (
            name, mode, pending, diagnosis, compare.explain(mode, legacy, observed))
        pytest.xfail("pending: " + diagnosis)
    assert not diffs, "%s on %s differs from legacy: %s\n%s" % (name, mode, diagnosis,
                                                                compare.explain(mode, legacy, observed))


def _without_known(mode, name, legacy, observed, known, todos):
    """Check a declared known difference exactly; return the observations with its labels set to legacy's.

    What remains different afterwards is judged like any other difference
    (pending or failing).
    """
    ours = dict((label, value) for label, value in observed)
    theirs = dict((label, value) for label, value in legacy)
    for label, expected in known.observed.items():
        assert label in ours and compare.values_match(mode, expected, ours[label]) and not compare.values_match(
            mode, theirs.get(label), ours[label]), (
            "%s on %s: the declared known difference at %r changed (%s)\n  declared: %r\n  observed: %r" % (
                name, mode, label, known.reason, expected, ours.get(label)))
    if mode == "ndb" and known.todo:
        rules = {rule for _, rule, _ in todos}
        assert known.todo in rules, "%s: the converted program lacks its TODO(db2ndb:%s) (has %s)" % (
            name, known.todo, sorted(rules))
    return [[label, theirs[label] if label in known.observed else value] for label, value in observed]


def read_pending(folder):
    """The suite's pending failures: {mode: {program: signature}} (``pending.json``; empty if none)."""
    path = Path(folder) / "pending.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _write_report():
    if not OUTCOMES:
        return
    rows = sorted(OUTCOMES.items())
    target = os.environ.get("ORACLE_REPORT")
    if target:
        lines = ["| suite | side | program | outcome |", "|---|---|---|---|"]
        for (folder, mode, name), (_, outcome) in rows:
            lines.append("| %s | %s | %s | %s |" % (Path(folder).name, mode, name, outcome.replace("|", "\\|")))
        with open(target, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    if os.environ.get("ORACLE_WRITE_PENDING"):
        for folder in {f for f, _, _ in OUTCOMES}:
            pending = read_pending(folder)
            for (f, mode, name), (sig, _) in rows:
                if f != folder:
                    continue
                entries = pending.setdefault(mode, {})
                if sig in ("match", "known difference"):
                    entries.pop(name, None)
                else:
                    entries[name] = sig
            text = json.dumps({m: dict(sorted(e.items())) for m, e in sorted(pending.items())}, indent=1)
            (Path(folder) / "pending.json").write_text(text + "\n", encoding="utf-8")


atexit.register(_write_report)
