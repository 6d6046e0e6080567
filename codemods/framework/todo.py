"""TODO comments: ``# TODO(db2ndb:DB007): <what to do> <docs link>``.

A rule that cannot prove a rewrite right leaves the code alone and asks for one
of these above the enclosing statement. They are inserted once: a statement
that already carries the same comment (from an earlier run) does not get a
second one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Sequence

import libcst as cst

TODO_PATTERN = re.compile(r"#\s*TODO\(db2ndb:(DB\d{3})\):\s*(.*?)(?:\s+See \S+)?\s*$")


@dataclass(frozen=True)
class Todo:
    """One TODO left in a file: the rule, the message and the 1-based line of the comment."""

    rule: str
    message: str
    line: int


def format_todo(rule_id: str, message: str, link: str) -> str:
    """The comment text (with the leading ``#``) for a TODO."""
    return f"# TODO(db2ndb:{rule_id}): {message} See {link}"


def with_todos(
    statement: cst.CSTNode, comments: Sequence[str], header: Sequence[cst.EmptyLine] = ()
) -> cst.CSTNode:
    """Return ``statement`` with the TODO ``comments`` added to its leading lines.

    Comments already present on the statement (or in ``header``, the module
    header in front of a module's first statement) are not added again.
    """
    existing = {line.comment.value.strip() for line in _leading(statement) if line.comment}
    existing.update(line.comment.value.strip() for line in header if line.comment)
    new_lines: List[cst.EmptyLine] = []
    for text in comments:
        if text in existing:
            continue
        existing.add(text)
        new_lines.append(cst.EmptyLine(indent=True, comment=cst.Comment(text)))
    if not new_lines:
        return statement
    return statement.with_changes(leading_lines=[*_leading(statement), *new_lines])


def _leading(statement: cst.CSTNode) -> Sequence[cst.EmptyLine]:
    return getattr(statement, "leading_lines", ())


def find_todos(code: str) -> List[Todo]:
    """Every ``TODO(db2ndb:...)`` comment in ``code`` with its line number."""
    found = []
    for number, line in enumerate(code.splitlines(), start=1):
        if "TODO(db2ndb:" not in line:
            continue
        match = TODO_PATTERN.search(line)
        if match:
            found.append(Todo(match.group(1), match.group(2), number))
    return found
