"""fissix's fixers, four of them corrected for whole real apps, and two of ours (:mod:`.literals`).

* ``print``: ``print(x % y)`` is left as it is (fissix made it
  ``print((x % y))``, and more parentheses on every run); ``print (a, b)``
  still becomes ``print((a, b))``, since Python 2 printed the tuple.
* ``unicode`` / ``long`` / ``basestring`` / ``StandardError``: only the
  builtin is renamed, not an attribute (``self.unicode``), a keyword argument
  (``f(long=1)``) or a method defined under that name; in a file that also
  parses as Python 3, ``"\\u00e9"`` keeps its Python 3 reading, and
  ``input()`` is not wrapped in ``eval`` (fix_input).
* ``import``: implicit relative imports become explicit only in files the
  app loads as members of a package (decided per file by
  :mod:`codemods.runner.loading`); dotted imports of a sibling package
  (``import app.filter as f``) become ``from .app import filter as f``
  rather than fissix's invalid ``from . import app.filter as f``; and a
  statement mixing local and absolute modules is split instead of left alone.
"""

from __future__ import annotations

import operator
import os
from functools import lru_cache
from typing import Any, List, Optional, Tuple

from fissix import pytree
from fissix.fixer_util import FromImport, Name, syms, token
from fissix.fixes import (
    fix_asserts,
    fix_basestring,
    fix_import,
    fix_input,
    fix_long,
    fix_print,
    fix_sorted,
    fix_standarderror,
    fix_unicode,
)
from fissix.refactor import RefactoringTool, get_fixers_from_package

from codemods.runner.py2.literals import FixDecodeLiteral, FixRegexFlags
from codemods.runner.py2.pickles import FixPickleText

_REPLACED = {"fix_print", "fix_unicode", "fix_long", "fix_basestring", "fix_standarderror", "fix_import", "fix_input"}


def _is_builtin_use(leaf: Any) -> bool:
    """False for ``x.NAME``, ``f(NAME=...)``, ``def NAME`` / ``class NAME``: only the builtin is renamed."""
    previous = leaf.prev_sibling
    if previous is not None and previous.type == token.DOT:
        return False
    parent = leaf.parent
    if parent is not None and parent.type == syms.argument and leaf.next_sibling is not None:
        if leaf.next_sibling.type == token.EQUAL:
            return False
    if (parent is not None and parent.type in (syms.funcdef, syms.classdef) and previous is not None
            and previous.type == token.NAME and previous.value in ("def", "class")):
        return False  # the name defined (``class unicode``), not a single base (``class E(StandardError)``)
    return True


class _BuiltinsOnly:
    """Mixin: skip NAME leaves that are attributes, keyword arguments or definitions."""

    def transform(self, node, results):
        if node.type == token.NAME and not _is_builtin_use(node):
            return None
        return super().transform(node, results)


class FixUnicode(_BuiltinsOnly, fix_unicode.FixUnicode):
    """fix_unicode for the builtins (and string literals) only.

    In a file that parses as Python 3, ``"\\u00e9"`` is taken as Python 3
    reads it (fissix would escape it to ``"\\\\u00e9"``, a Python 2 byte
    string's reading, which is wrong for db2ndb's own earlier output).
    """

    def transform(self, node, results):
        if node.type == token.STRING and self.options.get("py3_syntax"):
            if node.value[:1] in "uU":
                new = node.clone()
                new.value = node.value[1:]
                return new
            return None
        return super().transform(node, results)


class FixInput(fix_input.FixInput):
    """fix_input (``input()`` -> ``eval(input())``), except in a file that parses as Python 3.

    There ``input()`` is most likely ``raw_input()`` converted already, and
    wrapping it in ``eval`` would run what the user types.
    """

    def transform(self, node, results):
        if self.options.get("py3_syntax"):
            return None
        return super().transform(node, results)


class FixLong(_BuiltinsOnly, fix_long.FixLong):
    """fix_long for the builtin only."""


class FixBasestring(_BuiltinsOnly, fix_basestring.FixBasestring):
    """fix_basestring for the builtin only."""


class FixStandarderror(_BuiltinsOnly, fix_standarderror.FixStandarderror):
    """fix_standarderror for the builtin only."""


class FixPrint(fix_print.FixPrint):
    """fix_print that leaves ``print (expr)`` (one parenthesised argument, not a tuple) alone.

    Python 2 printed ``expr`` there, as Python 3 does; wrapping it again
    (fissix's behaviour for anything but a name or a literal) made the
    output change on every run.
    """

    def transform(self, node, results):
        args = node.children[1:] if node.type == syms.print_stmt else []
        if len(args) == 1 and _parenthesised_non_tuple(args[0]):
            return None
        return super().transform(node, results)


class FixSorted(fix_sorted.FixSorted):
    """fix_sorted, trying its pattern only on ``sorted(...)`` and ``x.sort(...)`` chains.

    Its pattern (``power< any* trailer< any* >* trailer< "." "sort" > ...>``)
    backtracks over every call chain of the file; every match starts with
    the name ``sorted`` or has a ``.sort`` trailer, so only those are tried.
    Same matches, same output.
    """

    def match(self, node):
        if node.type == syms.power and not _sorted_candidate(node.children):
            return False
        return super().match(node)


def _sorted_candidate(children: List[Any]) -> bool:
    first = children[0]
    if first.type == token.NAME and first.value == "sorted":
        return True
    return any(_trailer_name(child) == "sort" for child in children)


def _trailer_name(node: Any) -> Optional[str]:
    """``name`` for a ``.name`` trailer, else None."""
    if node.type == syms.trailer and len(node.children) == 2 and node.children[0].type == token.DOT:
        return getattr(node.children[1], "value", None)
    return None


class FixAsserts(fix_asserts.FixAsserts):
    """fix_asserts, trying its pattern only on chains with a ``.assertEquals``-like trailer (same matches, same output)."""

    def match(self, node):
        if node.type == syms.power and not any(_trailer_name(child) in fix_asserts.NAMES for child in node.children):
            return False
        return super().match(node)


#: fissix fixers replaced by a subclass that only adds a quick test before the pattern
_PREFILTERED = {fix_sorted.FixSorted: FixSorted, fix_asserts.FixAsserts: FixAsserts}


def _parenthesised_non_tuple(node: Any) -> bool:
    if node.type != syms.atom or len(node.children) != 3 or node.children[0].value != "(":
        return False
    inner = node.children[1]
    if inner.type == syms.testlist_gexp:
        return not any(child.type == token.COMMA for child in inner.children)
    return True


class FixImport(fix_import.FixImport):
    """Implicit relative imports made explicit, valid for dotted names and mixed statements.

    Used only for files loaded as package members; ``self.filename`` is the
    file's real path (the sibling modules are looked up next to it).
    """

    def transform(self, node, results):
        if self.skip or node.type == syms.import_from:
            return super().transform(node, results)
        entries = [(name, alias, self.probably_a_local_import(name)) for name, alias in _imported(results["imp"])]
        if not any(local for _, _, local in entries):
            return None
        statements = []
        for name, alias, local in entries:
            statements.extend(_explicit(name, alias) if local else [_absolute(name, alias)])
        return _joined(statements, node.prefix)


def _imported(imp: Any) -> List[Tuple[str, Optional[str]]]:
    """``[(dotted name, alias or None)]`` of an ``import`` statement's names, in order."""
    if imp.type == syms.dotted_as_names:
        items = [child for child in imp.children if child.type != token.COMMA]
    else:
        items = [imp]
    out = []
    for item in items:
        if item.type == syms.dotted_as_name:
            name, alias = str(item.children[0]).strip(), item.children[2].value
        else:
            name, alias = str(item).strip(), None
        out.append(("".join(name.split()), alias))
    return out


def _explicit(name: str, alias: Optional[str]) -> list:
    """The explicit relative form(s) of ``import name [as alias]`` for a sibling module."""
    head, _, last = name.rpartition(".")
    if not head:
        return [FromImport(".", [_import_as(last, alias)])]
    if alias is not None:
        return [FromImport("." + head, [_import_as(last, alias)])]
    # `import a.b` binds `a` with `a.b` loaded: load it, then bind `a`
    top = name.split(".")[0]
    return [FromImport("." + head, [Name(last, prefix=" ")]), FromImport(".", [Name(top, prefix=" ")])]


def _absolute(name: str, alias: Optional[str]) -> Any:
    names = [Name(part) for part in name.split(".")]
    dotted = names[0] if len(names) == 1 else pytree.Node(syms.dotted_name, _dotted(names))
    names[0].prefix = " "
    return pytree.Node(syms.import_name, [Name("import"), _as(dotted, alias)])


def _dotted(names: List[Any]) -> list:
    out = []
    for index, name in enumerate(names):
        if index:
            out.append(pytree.Leaf(token.DOT, "."))
        out.append(name)
    return out


def _import_as(name: str, alias: Optional[str]) -> Any:
    return _as(Name(name, prefix=" "), alias)


def _as(node: Any, alias: Optional[str]) -> Any:
    if alias is None:
        return node
    return pytree.Node(syms.dotted_as_name if node.type == syms.dotted_name else syms.import_as_name,
                       [node, Name("as", prefix=" "), Name(alias, prefix=" ")])


def _joined(statements: list, prefix: str) -> Any:
    """One node for several small statements on a line: ``a; b`` (the statement's own prefix kept)."""
    if len(statements) == 1:
        statements[0].prefix = prefix
        return statements[0]
    children = []
    for index, statement in enumerate(statements):
        if index:
            children.append(pytree.Leaf(token.SEMI, ";"))
            statement.prefix = " "
        else:
            statement.prefix = prefix
        children.append(statement)
    return _SmallStatements(children)


class _SmallStatements(pytree.Node):
    """Several small statements replacing one, joined by ``;`` (the line keeps its own newline)."""

    def __init__(self, children):
        super().__init__(syms.simple_stmt, children)


#: ``only=(LITERALS,)``: just the two literal fixers of :mod:`.literals`
LITERALS = "literals"
#: ``only=(BUILTIN + "basestring",)``: the corrected fixer renaming that Python 2 builtin
BUILTIN = "builtin:"
_BUILTIN_FIXERS = {"unicode": "FixUnicode", "unichr": "FixUnicode", "long": "FixLong",
                   "basestring": "FixBasestring", "StandardError": "FixStandarderror"}


class Tool(RefactoringTool):
    """fissix's default fixers with the corrected ones above (and FixImport only when asked)."""

    def __init__(self, only: Tuple[str, ...] = (), relative_imports: bool = False, print_function: bool = False):
        self._only = only
        self._relative_imports = relative_imports
        super().__init__([], {"print_function": print_function})

    def get_fixers(self):
        """The fixer instances, pre- and post-order, sorted by run order as fissix does."""
        classes = []
        if self._only:
            names = list(self._only)
        else:
            names = [n for n in get_fixers_from_package("fissix.fixes") if n.rsplit(".", 1)[-1] not in _REPLACED]
            classes = [FixPrint, FixUnicode, FixLong, FixBasestring, FixStandarderror, FixInput, FixRegexFlags,
                       FixDecodeLiteral, FixPickleText]
            if self._relative_imports:
                classes.append(FixImport)
        for name in names:
            if name == LITERALS:
                classes += [FixRegexFlags, FixDecodeLiteral]
                continue
            if name.startswith(BUILTIN):
                fixer = globals()[_BUILTIN_FIXERS[name[len(BUILTIN):]]]
                if fixer not in classes:
                    classes.append(fixer)
                continue
            module = __import__(name, {}, {}, ["*"])
            short = name.rsplit(".", 1)[-1][len("fix_"):]
            fixer = getattr(module, "Fix" + "".join(part.title() for part in short.split("_")))
            classes.append(_PREFILTERED.get(fixer, fixer))
        pre, post = [], []
        for cls in classes:
            fixer = cls(self.options, self.fixer_log)
            if fixer.explicit and not self._only:
                continue  # optional fixers (buffer, idioms, set_literal, ws_comma) are not run
            (pre if fixer.order == "pre" else post).append(fixer)
        pre.sort(key=operator.attrgetter("run_order"))
        post.sort(key=operator.attrgetter("run_order"))
        return pre, post


@lru_cache(maxsize=8)
def tool(only: Tuple[str, ...] = (), relative_imports: bool = False, print_function: bool = False) -> Tool:
    """A cached :class:`Tool` (building one compiles every fixer's pattern)."""
    return Tool(only, relative_imports, print_function)


def refactor(text: str, path: str, only: Tuple[str, ...] = (), relative_imports: bool = False,
             print_function: bool = False, encoding: str = "utf-8", py3_syntax: bool = False) -> str:
    """``text`` through the fixers; ``path`` is the file's real path (FixImport looks next to it).

    ``encoding`` is the file's own (FixDecodeLiteral compares codecs with
    it); ``py3_syntax`` says the text also parses as Python 3 (FixUnicode,
    FixInput).
    """
    name = os.path.abspath(path) if relative_imports else path
    refactoring = tool(only, relative_imports, print_function)
    refactoring.options.update(source_encoding=encoding, py3_syntax=py3_syntax)  # the fixers share this dict
    return str(refactoring.refactor_string(text, name))
