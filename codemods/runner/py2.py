"""Python 2 input: detect it and run fissix's fixers (the maintained lib2to3 fork) first."""

from __future__ import annotations

import ast
import io
import tokenize
from functools import lru_cache

#: Names that only Python 2 code uses (a file using them is fixed even if it parses as Python 3).
PY2_NAMES = frozenset({
    "unicode", "basestring", "xrange", "iteritems", "itervalues", "iterkeys", "has_key",
    "raw_input", "unichr", "urllib2", "cPickle", "execfile", "urlparse", "cStringIO",
})


class Py2FixError(Exception):
    """fissix could not parse the file either (it is neither Python 2 nor 3)."""


#: Python 2 builtins that 2/3-compatible code defines itself (``unicode = str``).
_PY2_BUILTINS = frozenset({"unicode", "basestring", "xrange", "long", "raw_input", "unichr", "execfile"})


def _parse(source: str):
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def looks_like_py2(source: str) -> bool:
    """True if ``source`` is not Python 3, or is Python 2 code that happens to parse as 3.

    The latter uses Python-2-only names (``unicode``, ``iteritems``,
    ``urllib2``...). Code written for both (it defines ``unicode = str``
    itself, or imports ``six``) is left alone: the fixers would turn
    ``unicode = str`` into ``str = str``.
    """
    tree = _parse(source)
    if tree is None:
        return True
    try:
        uses = {t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
                if t.type == tokenize.NAME and t.string in PY2_NAMES}
    except (tokenize.TokenError, SyntaxError):
        return True
    if not uses:
        return False
    return not _compatible_with_both(tree)


def _compatible_with_both(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in _PY2_BUILTINS:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module = getattr(node, "module", None) or ""
            names = [a.name for a in node.names]
            if module.split(".")[0] in ("six", "future", "past", "builtins") or any(
                n.split(".")[0] in ("six", "future", "past") for n in names
            ):
                return True
            if any((a.asname or a.name) in _PY2_BUILTINS for a in node.names):
                return True
    return False


@lru_cache(maxsize=2)
def _tool(only: tuple = ()):
    from fissix.refactor import RefactoringTool, get_fixers_from_package

    return RefactoringTool(list(only) or get_fixers_from_package("fissix.fixes"))


def fix_py2(source: str, name: str = "<file>") -> str:
    """Source rewritten by fissix's default fixers (print, except, unicode, dict views...).

    Two Python 2 habits the fixers leave behind are repaired as well:
    indentation mixing tabs and spaces (Python 2 read a tab as "up to the
    next multiple of 8"; Python 3 refuses the mix) is expanded to spaces
    outside string literals, and ``0777L`` (``fix_long`` and
    ``fix_numliterals`` both match it, only the first applies) gets a
    second, ``fix_numliterals``-only pass. Raises :class:`Py2FixError` if
    fissix cannot parse the file.
    """
    text = source if source.endswith("\n") else source + "\n"
    fixed = _refactor(_expand_indentation_tabs(text), name, ())
    if _parse(fixed) is None:
        retried = _refactor(fixed, name, ("fissix.fixes.fix_numliterals",))
        if _parse(retried) is not None:
            fixed = retried
    if not source.endswith("\n") and fixed.endswith("\n"):
        fixed = fixed[:-1]
    return fixed


def _refactor(text: str, name: str, only: tuple) -> str:
    from fissix.pgen2.parse import ParseError
    from fissix.pgen2.tokenize import TokenError

    try:
        return str(_tool(only).refactor_string(text, name))
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
    inside_strings = set()
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
