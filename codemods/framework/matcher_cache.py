"""libcst's matcher-decorated visitors, built without re-reading their class on every instance.

``MatcherDecoratableTransformer`` / ``MatcherDecoratableVisitor`` (the base
of libcst's ``AddImportsVisitor``, ``RemoveImportsVisitor`` and the import
gatherers they build for every file) look through ``dir(self)`` for
``@visit``/``@leave``/``@call_if_inside`` decorated methods each time one is
constructed: tens of milliseconds per instance, several instances per file
that gains or loses an import. What they find depends only on the class, so
:func:`install` remembers the classes that have no decorated method at all
and gives their later instances the same empty answer at once. Classes with
decorated methods are read as before (their answer holds bound methods).
"""

from __future__ import annotations

from typing import Callable, Set

from libcst.matchers import _visitors

_installed = False


def _remember_empty(gather: Callable[[object], dict]) -> Callable[[object], dict]:
    empty_classes: Set[type] = set()

    def gather_once_per_class(obj: object) -> dict:
        kind = type(obj)
        if kind in empty_classes:
            return {}
        found = gather(obj)
        if not found:
            empty_classes.add(kind)
        return found

    gather_once_per_class.__wrapped__ = gather  # type: ignore[attr-defined]
    return gather_once_per_class


def install() -> None:
    """Wrap libcst's three gathering functions (once per process; same results)."""
    global _installed
    if _installed:
        return
    for name in ("_gather_matchers", "_gather_constructed_visit_funcs", "_gather_constructed_leave_funcs"):
        setattr(_visitors, name, _remember_empty(getattr(_visitors, name)))
    _installed = True
