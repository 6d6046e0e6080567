"""Running fissix's fixers (the maintained lib2to3 fork) over a Python 2 file."""

from __future__ import annotations

import ast
import io
from typing import Optional, Set

from codemods.runner.py2.detect import parses_as_py3, unbound_builtins
from codemods.runner.py2.fixers import BUILTIN, LITERALS, refactor


class Py2FixError(Exception):
    """fissix could not parse the file either (it is neither Python 2 nor 3)."""


def fix_py2(source: str, name: str = "<file>", *, package_file: Optional[str] = None, encoding: str = "utf-8") -> str:
    """Source rewritten by fissix's default fixers (print, except, unicode, dict views...).

    ``package_file`` is the file's real path when the app loads it as a
    member of a package: only then do implicit relative imports of its
    siblings become explicit (``import models`` -> ``from . import models``);
    a top-level module or script keeps them (see :mod:`codemods.runner.loading`).
    ``encoding`` is the file's own (see :mod:`.literals`).

    Two Python 2 habits the fixers leave behind are repaired as well:
    indentation mixing tabs and spaces (Python 2 read a tab as "up to the
    next multiple of 8"; Python 3 refuses the mix) is expanded to spaces
    outside string literals, and ``0777L`` (``fix_long`` and
    ``fix_numliterals`` both match it, only the first applies) gets a
    second, ``fix_numliterals``-only pass. A file that parses as Python 3
    but not with Python 2's print statement (``print(x, file=f)``) is read
    with ``print`` as a function, and its string literals and ``input()``
    keep their Python 3 meaning (see :mod:`.fixers`). Raises :class:`Py2FixError` if fissix
    cannot parse the file.
    """
    text = source if source.endswith("\n") else source + "\n"
    text = _expand_indentation_tabs(text)
    path = package_file or name
    relative = package_file is not None
    py3_syntax = parses_as_py3(text)
    try:
        fixed = _refactor(text, path, (), relative, False, encoding, py3_syntax)
    except Py2FixError:
        if not py3_syntax:
            raise
        fixed = _refactor(text, path, (), relative, True, encoding, py3_syntax)
    if not parses_as_py3(fixed):
        retried = _refactor(fixed, path, ("fissix.fixes.fix_numliterals",), False, False, encoding, False)
        if parses_as_py3(retried):
            fixed = retried
    if not source.endswith("\n") and fixed.endswith("\n"):
        fixed = fixed[:-1]
    return fixed


def fix_literals(source: str, name: str = "<file>", *, encoding: str = "utf-8") -> str:
    """The light pass, for Python 3 (or 2/3) code: the two literal repairs of :mod:`.literals`, unbound builtins.

    ``re.compile('x(?i)')`` fails on Python 3.11 and ``'x'.decode(...)`` on
    any Python 3, even in code otherwise written for both versions (which
    the other fixers must not touch); so does a Python 2 builtin the module
    reads without binding it (``basestring`` in code that counted on 2to3),
    which is renamed as fissix would (``str``, ``int``...).
    """
    text = source if source.endswith("\n") else source + "\n"
    print_function = not _parses_with_print_statement(text)
    tree = ast.parse(text)
    only = (LITERALS,) + tuple(sorted(BUILTIN + n for n in unbound_builtins(tree)))
    fixed = _refactor(text, name, only, False, print_function, encoding, True)
    if not source.endswith("\n") and fixed.endswith("\n"):
        fixed = fixed[:-1]
    return fixed


def _parses_with_print_statement(text: str) -> bool:
    from fissix import pygram, pytree
    from fissix.pgen2 import driver

    try:
        driver.Driver(pygram.python_grammar, convert=pytree.convert).parse_string(text)
        return True
    except Exception:  # ParseError, TokenError
        return False


def _refactor(text: str, path: str, only: tuple, relative: bool, print_function: bool, encoding: str,
              py3_syntax: bool) -> str:
    from fissix.pgen2.parse import ParseError
    from fissix.pgen2.tokenize import TokenError

    try:
        return refactor(text, path, only, relative, print_function, encoding, py3_syntax)
    except (ParseError, TokenError, SyntaxError, IndentationError) as error:
        raise Py2FixError(f"not valid Python 2 or 3: {error}") from None


def _expand_indentation_tabs(text: str) -> str:
    """Expand tabs (to multiples of 8, as Python 2 read them) in the indentation of code lines.

    Lines inside multi-line string literals keep their characters.
    """
    from fissix.pgen2 import token as tokens
    from fissix.pgen2.tokenize import TokenError, generate_tokens

    if "\t" not in text:
        return text
    inside_strings: Set[int] = set()
    try:
        for kind, value, start, end, _ in generate_tokens(io.StringIO(text).readline):
            if kind == tokens.STRING and end[0] > start[0]:
                inside_strings.update(range(start[0] + 1, end[0] + 1))
    except (TokenError, IndentationError):
        return text
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines, start=1):
        if number in inside_strings or "\t" not in line:
            continue
        body = line.lstrip(" \t")
        indent = line[: len(line) - len(body)]
        lines[number - 1] = indent.expandtabs(8) + body
    return "".join(lines)
