"""The TODO(db2ndb) markers of a converted tree, each tied to the statement it sits above.

A marker is a comment on the line(s) above the statement a rule could not
convert (codemods.framework.todo). A test "ran" a marker when coverage.py saw
any line of that statement run during the test (for a ``def``, its body).
Model declarations run once, at import, never inside a test: a marker on a
property declared in a class body (or on the class itself) is tied instead
to the differences found on that kind and property.
"""

from __future__ import annotations

import ast
import os
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from codemods.framework.todo import Todo, find_todos


def _statements(tree: ast.Module) -> Iterator[Tuple[Any, Optional[ast.ClassDef]]]:  # statements, except handlers
    """``(statement, enclosing class or None)`` for every statement."""
    def walk(body, owner):
        for node in body:
            yield node, owner
            inner_owner = node if isinstance(node, ast.ClassDef) else None
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    yield from walk([c for c in children if isinstance(c, ast.AST)], inner_owner)

    yield from walk(tree.body, None)


def _declared_names(statement: ast.stmt) -> List[str]:
    """The attribute name(s) an ``x = SomeProperty(name='stored')`` declares, with the stored name."""
    if not isinstance(statement, ast.Assign):
        return []
    names = [t.id for t in statement.targets if isinstance(t, ast.Name)]
    if isinstance(statement.value, ast.Call):
        for keyword in statement.value.keywords:
            if keyword.arg == "name" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
                names.append(keyword.value.value)
    return names


def _marker(lines: List[str], todo: Todo, tree: Optional[ast.Module]) -> dict:
    line = todo.line
    for number in range(todo.line, len(lines)):  # the next line that is code (lines is 0-based)
        text = lines[number].strip()
        if text and not text.startswith("#"):
            line = number + 1
            break
    marker = {"line": line, "comment_line": todo.line, "rule": todo.rule, "message": todo.message,
              "lines": [line], "kind": None, "properties": []}
    if tree is None:
        return marker
    for statement, owner in _statements(tree):
        if statement.lineno == line:
            marker["lines"] = list(range(statement.lineno, (statement.end_lineno or line) + 1))
            if isinstance(statement, ast.ClassDef):
                marker["kind"] = statement.name
            elif owner is not None and _declared_names(statement):
                marker["kind"] = owner.name
                marker["properties"] = _declared_names(statement)
            break
    return marker


def todo_markers(paths: List[str]) -> Dict[str, List[dict]]:
    """``{real path: [marker]}`` for the files holding markers.

    A marker: ``line`` (the statement's first line), ``comment_line``, ``rule``,
    ``message``, ``lines`` (every line of the statement), and for model
    declarations ``kind`` (the class) and ``properties`` (attribute and stored names).
    """
    out: Dict[str, List[dict]] = {}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                code = handle.read()
        except (OSError, UnicodeDecodeError):
            continue
        found = find_todos(code)
        if not found:
            continue
        try:
            tree = ast.parse(code)
        except SyntaxError:
            tree = None
        lines = code.splitlines()
        out[os.path.realpath(path)] = [_marker(lines, todo, tree) for todo in found]
    return out


def _difference_targets(differences: List[dict]) -> Iterator[Tuple[str, str]]:
    for diff in differences:
        kind = diff["entity"].split(":")[-1].split("/")[-1].split("(")[0]
        prop = diff["property"] or ""
        yield kind, prop.split(".")[0].split("[")[0]


def ran_markers(markers: Dict[str, List[dict]], executed: Iterable[Tuple[str, int]],
                differences: List[dict]) -> List[tuple]:
    """``(path, marker, how)`` for the markers a test ran (``how="ran"``) or whose model declaration its
    differences touch (``how="declares"``)."""
    executed = {(path, line) for path, line in executed}
    targets = set(_difference_targets(differences))
    out = []
    for path, found in sorted(markers.items()):
        for marker in found:
            ran = any((path, line) in executed for line in marker["lines"])
            declared = marker["kind"] is not None and any(
                kind == marker["kind"] and (not marker["properties"] or prop in marker["properties"])
                for kind, prop in targets)
            if ran or declared:
                out.append((path, marker, "ran" if ran else "declares"))
    return out
