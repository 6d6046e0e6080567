"""The JSON report and the closing summary line."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Sequence

from codemods import __version__

if TYPE_CHECKING:  # pragma: no cover
    from codemods.runner.run import RunResult


def report_json(result: "RunResult", target: str, mode: str, rule_ids: Sequence[str]) -> dict:
    """The report: per file the rules applied, the TODOs with line numbers, failures."""
    converted: dict = {}
    todos: dict = {}
    for item in result.files:
        for rule, count in item.rules.items():
            converted[rule] = converted.get(rule, 0) + count
        for todo in item.todos:
            todos[todo["rule"]] = todos.get(todo["rule"], 0) + 1
    return {
        "tool": "db2ndb",
        "version": __version__,
        "target": target,
        "mode": mode,
        "rules": list(rule_ids),
        "summary": {
            "files": len(result.files),
            "changed": result.count("changed"),
            "unchanged": result.count("unchanged"),
            "failed": result.count("failed"),
            "skipped": len(result.discovery.skipped),
            "converted": result.converted,
            "todos": result.todos,
            "converted_by_rule": dict(sorted(converted.items())),
            "todos_by_rule": dict(sorted(todos.items())),
        },
        "files": [f.to_json() for f in result.files],
        "skipped": [{"path": str(p), "reason": reason} for p, reason in result.discovery.skipped],
    }


def write_report(path: str, data: dict) -> None:
    """Write the report as indented JSON."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=False)
        handle.write("\n")


def summary_line(result: "RunResult", mode: str) -> str:
    """``db2ndb: 12 files changed, 30 unchanged, 1 failed, 2 skipped; 240 constructs converted, 9 TODOs left``.

    The skipped paths and their reasons are listed in the ``--report``.
    """
    verb = "changed" if mode == "write" else "would change"
    skipped = len(result.discovery.skipped)
    return (
        f"db2ndb: {result.count('changed')} files {verb}, {result.count('unchanged')} unchanged, "
        f"{result.count('failed')} failed{f', {skipped} skipped' if skipped else ''}; "
        f"{result.converted} constructs converted, {result.todos} TODOs left"
    )
