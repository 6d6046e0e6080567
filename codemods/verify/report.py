"""What ``db2ndb verify`` prints and writes: the summary, ``--report FILE.json`` and ``--html FILE.html``."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, List

from codemods import __version__

if TYPE_CHECKING:
    from codemods.verify.run import VerifyConfig, VerifyResult


def summary_lines(result: VerifyResult, verbose: bool = False) -> List[str]:
    """One line per differing test (with its diff and the TODOs it ran), then the totals."""
    lines = []
    for test in result.tests:
        if test["status"] == "identical" and not verbose:
            continue
        lines.append("%s %s: original %s, converted %s" % (
            "==" if test["status"] == "identical" else "!=", test["test"], test["original"], test["converted"]))
        for diff in test["differences"]:
            where = diff["entity"] + ("." + diff["property"] if diff["property"] else "")
            lines.append("    %s %s: %s -> %s" % (diff["change"], where, diff["original"], diff["converted"]))
        for todo in test.get("todos", ()):
            lines.append("    %s TODO %s at %s:%d: %s" % (_how(todo), todo["rule"], todo["file"], todo["line"],
                                                       todo["message"]))
    failing_one_side = sum(1 for t in result.tests if t["status"] != "identical"
                           and (t["original"].startswith("passed") != t["converted"].startswith("passed")))
    lines.append(
        "db2ndb verify: %d tests, %d identical, %d differing (%d failing on one side only)%s"
        % (len(result.tests), result.count("identical"), len(result.tests) - result.count("identical"),
           failing_one_side, "; " + result.error if result.error else "")
    )
    return lines


def _how(todo: dict) -> str:
    return "ran" if todo.get("how", "ran") == "ran" else "model declaration with"


def report_json(result: VerifyResult, config: VerifyConfig) -> dict:
    """The full report: per test both outcomes, the entity diff and the executed TODOs."""
    return {
        "tool": "db2ndb verify",
        "version": __version__,
        "target": config.target,
        "exit_code": result.exit_code,
        "error": result.error,
        "summary": {
            "tests": len(result.tests),
            "identical": result.count("identical"),
            "differs": result.count("differs"),
            "one_side_only": result.count("one side only"),
        },
        "conversion": result.conversion,
        "seconds": result.seconds,
        "sides": result.sides,
        "tests": result.tests,
    }


def write_json(path: str, data: dict) -> None:
    """Write the JSON report."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")


_STYLE = """body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
.identical{background:#eef8ee}.differs,.one{background:#fdecea}code{font-size:90%}"""


def write_html(path: str, data: dict) -> None:
    """One page: the summary and a table of tests, each difference list expandable."""
    esc = html.escape
    rows = []
    for test in data["tests"]:
        details = ""
        if test["differences"] or test.get("todos"):
            items = "".join(
                "<li><b>%s</b> <code>%s</code>: %s &rarr; %s</li>" % (
                    esc(d["change"]), esc(d["entity"] + ("." + d["property"] if d["property"] else "")),
                    esc(d["original"]), esc(d["converted"]))
                for d in test["differences"])
            items += "".join("<li>%s <b>TODO %s</b> at <code>%s:%d</code>: %s</li>" % (
                esc(_how(t)), esc(t["rule"]), esc(t["file"]), t["line"], esc(t["message"]))
                for t in test.get("todos", ()))
            details = "<details><summary>%d difference(s)</summary><ul>%s</ul></details>" % (
                len(test["differences"]), items)
        css = "identical" if test["status"] == "identical" else "differs" if test["status"] == "differs" else "one"
        rows.append("<tr class=%s><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
            css, esc(test["test"]), esc(test["status"]), esc(test["original"]), esc(test["converted"]), details))
    summary = data["summary"]
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>db2ndb verify</title><style>%s</style></head><body>"
        "<h1>db2ndb verify (--to %s)</h1><p>%d tests: %d identical, %d differing, %d run on one side only. "
        "Exit code %d.%s</p><table><tr><th>test</th><th>verdict</th><th>original (shim)</th>"
        "<th>converted (ndb)</th><th>differences</th></tr>%s</table></body></html>\n"
        % (_STYLE, esc(data["target"]), summary["tests"], summary["identical"], summary["differs"],
           summary["one_side_only"], data["exit_code"], " " + esc(data["error"]) if data["error"] else "",
           "".join(rows))
    )
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(page)
