"""Is this file Python 2? Syntax first, then the Python-2-only uses that fissix rewrites.

A file that does not parse as Python 3 is Python 2 (or broken). A file that
does parse is Python 2 only if it *uses* something that exists only in
Python 2 **and that a fissix fixer rewrites**: the builtin ``unicode`` read
as a name (not an attribute called ``unicode``, not a keyword argument, not
a name the module binds itself), ``xrange(...)`` called, ``d.iteritems()``,
``d.has_key(k)``, ``import urllib2``, ``sys.maxint``, a class body's
``__metaclass__``, ``'text'.decode('utf-8')``, ``re.compile('x(?i)')``... Each such signal is gone from fissix's output, so a
converted file is never taken for Python 2 again: that is what makes a
second run change nothing (fissix itself is not idempotent: it would wrap
``for k in d.items()`` in ``list(...)`` on every pass).
"""

from __future__ import annotations

import ast
import sys
from functools import lru_cache
from typing import FrozenSet, Optional, Set, Tuple, cast

from codemods.runner.py2.literals import decode_signal, regex_signal

#: Builtins fissix renames wherever the name is read (fix_unicode, fix_long, fix_basestring, fix_standarderror).
_RENAMED_BUILTINS = frozenset({"unicode", "unichr", "basestring", "long", "StandardError"})
#: Builtins one fixer renames together (fix_unicode: unicode and unichr).
_FIXED_TOGETHER = {"unicode": frozenset({"unicode", "unichr"}), "unichr": frozenset({"unicode", "unichr"})}
#: Builtins fissix rewrites where they are called (fix_xrange, fix_raw_input, fix_execfile, ...).
_CALLED_BUILTINS = frozenset({"xrange", "raw_input", "execfile", "intern", "apply", "reduce", "reload"})
#: Python-2-only methods fissix rewrites when called with this many arguments (fix_dict, fix_has_key, fix_xreadlines).
_METHOD_ARITY = {
    "iteritems": 0, "iterkeys": 0, "itervalues": 0, "viewitems": 0, "viewkeys": 0, "viewvalues": 0,
    "has_key": 1, "xreadlines": 0,
}
#: Attributes that only Python 2 objects have (fix_funcattrs, fix_methodattrs).
_PY2_ATTRIBUTES = frozenset({
    "func_closure", "func_doc", "func_globals", "func_name", "func_defaults", "func_code", "func_dict",
    "im_func", "im_self", "im_class",
})
#: ``module.attribute`` that moved or vanished in Python 3, in any use (fix_renames, fix_getcwdu, fix_urllib).
_MODULE_ATTRIBUTES = {
    "sys": frozenset({"maxint"}),
    "os": frozenset({"getcwdu"}),
}
#: ... and those the fixers rewrite only where they are called (fix_itertools).
_CALLED_MODULE_ATTRIBUTES = {
    "itertools": frozenset({"imap", "ifilter", "izip", "ifilterfalse", "izip_longest"}),
}
#: Modules 2/3-compatible code imports: such a file is left alone (the fixers would turn ``unicode = str`` into ``str = str``).
_BOTH_VERSIONS_MODULES = frozenset({"six", "future", "past", "builtins"})


def parses_as_py3(source: str) -> bool:
    """True if ``source`` is valid Python 3 syntax."""
    return _parse(source) is not None


def _parse(source: str) -> Optional[ast.Module]:
    """``ast.parse(source)``, or None if it is not Python 3; the last text's tree is kept.

    A file is checked here, then (Python 2) by the fixers before and after
    their pass, or (Python 3) by the light pass: the same text is parsed once.
    Callers only read the tree.
    """
    global _LAST
    if _LAST is not None and _LAST[0] == source:
        return _LAST[1]
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        tree = None
    _LAST = (source, tree)
    return tree


_LAST: Optional[Tuple[str, Optional[ast.Module]]] = None


def looks_like_py2(source: str) -> bool:
    """True if ``source`` is not Python 3, or is Python 2 code that happens to parse as 3.

    The latter uses a Python-2-only name, method, attribute or module that
    the fixers rewrite (see :func:`py2_signals`). Code written for both
    versions (it imports ``six`` / ``future`` / ``builtins``, or binds
    ``unicode`` itself) is left alone.
    """
    tree = _parse(source)
    if tree is None:
        return True
    return bool(py2_signals(tree, source))


def literal_signals(source: str) -> Set[str]:
    """What the light pass repairs in code that parses as Python 3 (even if written for both versions).

    The string-literal habits of :mod:`.literals`, and the Python 2 builtins
    (``basestring``, ``unicode``, ``long``...) such code still reads where
    it does not bind them itself (see :func:`unbound_builtins`).
    """
    if ".decode(" not in source and "(?" not in source and not any(n in source for n in _RENAMED_BUILTINS):
        return set()
    tree = _parse(source)
    if tree is None:
        return set()
    found = {f"{name} (Python 2 builtin)" for name in unbound_builtins(tree)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if regex_signal(node, source):
                found.add("re pattern with inline flags not at the start")
            elif decode_signal(node, source):
                found.add("str literal .decode()")
    return found


def unbound_builtins(tree: ast.AST) -> Set[str]:
    """Python 2 builtins read but never bound by the module (pygments 1.x: ``isinstance(val, basestring)``).

    Code "written for both versions" that relied on 2to3 at install time
    reads them bare, and fails with a NameError on Python 3; only the names
    the module does not bind itself are renamed (``unicode = str`` stays).
    """
    bound = _bound_names(tree)
    read = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
            and node.id in _RENAMED_BUILTINS and node.id not in bound}
    # one fixer renames both unicode and unichr: six binds ``unichr = chr``, which must not become ``chr = chr``
    return {name for name in read if not (_FIXED_TOGETHER.get(name, frozenset()) & bound)}


def py2_signals(tree: ast.AST, source: str) -> Set[str]:
    """The Python-2-only uses in a module that parses as Python 3 (empty for code written for both).

    Each is one that a fixer rewrites in every form counted here (so none is
    left in the output): a name aliased on import (``import sys as s``) or
    a builtin used without a call where a fixer needs one is not counted.
    """
    bound = _bound_names(tree)
    if bound & _RENAMED_BUILTINS or _imports_both_versions(tree):
        return set()
    found: Set[str] = set()
    module_aliases = _imported_modules(tree)
    py2_modules = _py2_modules()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in _RENAMED_BUILTINS and node.id not in bound:
                found.add(node.id)
        elif isinstance(node, ast.Call):
            if regex_signal(node, source):
                found.add("re pattern with inline flags not at the start")
            elif decode_signal(node, source):
                found.add("str literal .decode()")
            func = node.func
            plain = not node.keywords and not any(isinstance(a, ast.Starred) for a in node.args)
            if isinstance(func, ast.Name) and func.id in _CALLED_BUILTINS and func.id not in bound and plain:
                found.add(f"{func.id}()")
            elif (
                isinstance(func, ast.Attribute)
                and _METHOD_ARITY.get(func.attr) == len(node.args)
                and not node.keywords
            ):
                found.add(f".{func.attr}()")
            elif isinstance(func, ast.Attribute) and _module_attribute(func, module_aliases, _CALLED_MODULE_ATTRIBUTES):
                found.add(f"{cast(ast.Name, func.value).id}.{func.attr}()")  # _module_attribute: a Name
        elif isinstance(node, ast.Attribute):
            if node.attr in _PY2_ATTRIBUTES:
                found.add(f".{node.attr}")
            elif _module_attribute(node, module_aliases, _MODULE_ATTRIBUTES):
                found.add(f"{cast(ast.Name, node.value).id}.{node.attr}")  # _module_attribute: a Name
        elif isinstance(node, ast.Import):
            found.update(f"import {a.name}" for a in node.names if a.name.split(".")[0] in py2_modules)
        elif isinstance(node, ast.ImportFrom):
            if not node.level and (node.module or "").split(".")[0] in py2_modules:
                found.add(f"import {node.module}")
            elif not node.level and node.module == "itertools" and any(
                a.name in _CALLED_MODULE_ATTRIBUTES["itertools"] for a in node.names
            ):
                found.add("itertools imports")
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "__metaclass__" for t in statement.targets
                ):
                    found.add("__metaclass__")
                elif (isinstance(statement, ast.FunctionDef) and statement.name == "__nonzero__"
                      and len(statement.args.args) == 1):
                    found.add("__nonzero__")
    return found


def _bound_names(tree: ast.AST) -> Set[str]:
    """Every name the module binds anywhere (assignments, parameters, imports, defs, globals)."""
    names: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
    return names


def _imports_both_versions(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(a.name.split(".")[0] in _BOTH_VERSIONS_MODULES for a in node.names):
                return True
        elif isinstance(node, ast.ImportFrom) and not node.level:
            if (node.module or "").split(".")[0] in _BOTH_VERSIONS_MODULES:
                return True
    return False


def _imported_modules(tree: ast.AST) -> Set[str]:
    """Modules imported under their own name (``import sys``): the fixers match that name only."""
    out: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if not a.asname and "." not in a.name)
    return out


def _module_attribute(node: ast.Attribute, modules: Set[str], table: dict) -> bool:
    if not isinstance(node.value, ast.Name) or node.value.id not in modules:
        return False
    module = node.value.id
    return node.attr in table.get(module, ()) or (table is _MODULE_ATTRIBUTES and node.attr in _urllib_names(module))


@lru_cache(maxsize=1)
def _py2_modules() -> FrozenSet[str]:
    """Python 2 module names fissix's import fixers rename, less those Python 3 also has (``dbm``)."""
    from fissix.fixes import fix_imports, fix_imports2, fix_urllib

    names = set(fix_imports.MAPPING) | set(fix_imports2.MAPPING) | (set(fix_urllib.MAPPING) - {"urllib"})
    return frozenset(names - set(sys.stdlib_module_names))


@lru_cache(maxsize=8)
def _urllib_names(module: str) -> FrozenSet[str]:
    """Names of Python 2's ``urllib`` that moved (``urllib.quote`` is ``urllib.parse.quote`` now)."""
    if module != "urllib":
        return frozenset()
    from fissix.fixes import fix_urllib

    return frozenset(name for _, members in fix_urllib.MAPPING["urllib"] for name in members)
