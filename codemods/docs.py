"""The rules section of docs/codemods.md, generated from the rules themselves.

``db2ndb list --markdown`` prints it (paste it between the markers of
docs/codemods.md); a test checks that the page carries the
current text between the ``<!-- rules:start -->`` / ``<!-- rules:end -->``
markers, so the docs cannot drift from the rule docstrings.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Iterable, List

if TYPE_CHECKING:
    from codemods.framework.rule import Rule

START = "<!-- rules:start -->"
END = "<!-- rules:end -->"


def rule_markdown(rule: type[Rule]) -> str:
    """One rule: anchor, title, targets, docstring (examples as code), TODO catalogue."""
    doc = rule.describe()
    title, _, body = doc.partition("\n")
    summary = title.split(":", 1)[1].strip() if ":" in title else title
    out: List[str] = [
        f'<a id="{rule.ID.lower()}"></a>',
        f"### {rule.ID}: {rule.TITLE}",
        "",
        f"Targets: {', '.join(sorted(rule.TARGETS))}. {summary[:1].upper() + summary[1:]}",
        "",
    ]
    for paragraph in body.strip("\n").split("\n\n"):
        lines = paragraph.split("\n")
        if all(line.startswith("    ") or not line.strip() for line in lines):
            out += ["Before (left) and after (right):", "", "```python", textwrap.dedent(paragraph), "```", ""]
        else:
            out += [paragraph.strip(), ""]
    if rule.TODOS:
        out += ["TODOs this rule leaves (`# TODO(db2ndb:%s)`), and what to do:" % rule.ID, ""]
        out += [f"- {item}" for item in rule.TODOS]
        out.append("")
    return "\n".join(out)


def rules_markdown(rules: Iterable) -> str:
    """The whole generated section, markers included."""
    return "\n".join([START, "", *[rule_markdown(r) for r in rules], END])
