"""How much of compat's public API carries type annotations.

The public API is what ``compat.db`` (and its ``polymodel``, ``metadata``,
``stats``), ``compat.tz``, ``compat.capabilities``, ``compat.ndb_legacy``,
``compat`` itself and the other legacy modules it stands in for (``users``,
``namespace_manager``, ``memcache``, ``datastore_types``,
``apiproxy_errors``) and ``compat.wsgi`` export (``__all__``, else every public name), as a
user's code reaches it: each exported function; for each exported class
defined in compat, its constructor and every public method, classmethod,
staticmethod and property defined by it or a compat base class (what it
inherits from google-cloud-ndb or the standard library is not ours); the
public functions and classes of an exported compat submodule
(``compat.tz.marker``). A function counts once however many names export it.

A function is annotated when every parameter (but ``self``/``cls``) and the
return value are (a constructor needs no return annotation), which is what
mypy's ``disallow_untyped_defs`` asks of it.

``python scripts/typing_coverage.py`` prints the share per package and the
functions still missing annotations (``--missing``); tests/test_typing_coverage.py
holds the share at 100%.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import sys
import types
import warnings
from typing import Callable, Iterator

PACKAGES = ("compat.db", "compat.db.polymodel", "compat.db.metadata", "compat.db.stats", "compat.tz", "compat.capabilities",
            "compat.ndb_legacy", "compat", "compat.users", "compat.namespace_manager", "compat.memcache",
            "compat.datastore_types", "compat.apiproxy_errors", "compat.wsgi")


def _ours(obj: object) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module == "compat" or module.startswith("compat.")


def _exports(module: types.ModuleType) -> Iterator[object]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [name for name in vars(module) if not name.startswith("_")]
    for name in names:
        yield getattr(module, name)


def _plain_function(member: object) -> Callable | None:
    """The function behind a class member (method, classmethod, staticmethod, property getter)."""
    if isinstance(member, (classmethod, staticmethod)):
        member = member.__func__
    elif isinstance(member, property):
        member = member.fget
    return member if inspect.isfunction(member) else None


def _class_functions(cls: type) -> Iterator[tuple[str, Callable]]:
    seen: set[str] = set()
    for klass in cls.__mro__:
        if not _ours(klass):
            continue
        for name, member in vars(klass).items():
            if name in seen:
                continue
            seen.add(name)
            if name.startswith("_") and name not in ("__init__", "__new__"):
                continue
            function = _plain_function(member)
            if function is not None and _ours(function):
                yield "%s.%s" % (klass.__qualname__, name), function


def public_functions(package: str) -> dict[Callable, str]:
    """Every function of ``package``'s public API, each with a name to report it by."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = importlib.import_module(package)
    found: dict[Callable, str] = {}
    pending = list(_exports(module))
    for obj in pending:
        if isinstance(obj, types.ModuleType):
            if obj.__name__.startswith("compat.") and obj is not module:
                pending.extend(value for value in _exports(obj)
                               if not isinstance(value, types.ModuleType) and _ours(value))
            continue
        if not _ours(obj):
            continue
        if inspect.isclass(obj):
            for qualname, function in _class_functions(obj):
                found.setdefault(function, "%s.%s" % (function.__module__, qualname))
        elif inspect.isfunction(obj):
            found.setdefault(obj, "%s.%s" % (obj.__module__, obj.__qualname__))
    return found


def annotated(function: Callable) -> bool:
    """True when every parameter (but self/cls) and the return value carry an annotation."""
    notes = function.__annotations__
    params = list(inspect.signature(function).parameters.values())
    if params and params[0].name in ("self", "cls", "mcs", "metacls"):
        params = params[1:]
    if any(p.name not in notes for p in params):
        return False
    return "return" in notes or function.__name__ in ("__init__", "__new__") and bool(params)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missing", action="store_true", help="list the functions missing annotations")
    args = parser.parse_args(argv)
    total = done = 0
    for package in PACKAGES:
        functions = public_functions(package)
        missing = sorted(name for function, name in functions.items() if not annotated(function))
        n, ok = len(functions), len(functions) - len(missing)
        total, done = total + n, done + ok
        print("%-26s %4d / %4d annotated (%5.1f%%)" % (package, ok, n, 100.0 * ok / max(n, 1)))
        if args.missing:
            for name in missing:
                print("    " + name)
    print("%-26s %4d / %4d annotated (%5.1f%%)" % ("total", done, total, 100.0 * done / max(total, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
