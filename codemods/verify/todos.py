"""The TODO(db2ndb) markers of a converted tree, each tied to the statement line it sits above.

A marker is a comment on the line(s) above the statement the rule could not
convert (codemods.framework.todo); coverage.py reports a statement as its
first line, so the marker belongs to the next line that is neither blank nor
a comment.
"""

from __future__ import annotations

import os
from typing import Dict, List

from codemods.framework.todo import find_todos


def _statement_line(lines: List[str], comment_line: int) -> int:
    for number in range(comment_line, len(lines)):  # lines is 0-based; comment_line is 1-based
        text = lines[number].strip()
        if text and not text.startswith("#"):
            return number + 1
    return comment_line


def todo_markers(paths: List[str]) -> Dict[str, List[dict]]:
    """``{real path: [{"line": statement line, "comment_line", "rule", "message"}]}`` for files with markers."""
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
        lines = code.splitlines()
        out[os.path.realpath(path)] = [
            {"line": _statement_line(lines, todo.line), "comment_line": todo.line, "rule": todo.rule,
             "message": todo.message}
            for todo in found
        ]
    return out
