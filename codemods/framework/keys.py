"""Typed keys of ``CodemodContext.scratch`` shared by the rules and the suite of one file.

Each key is the very string libcst's scratch dictionary is indexed with (so
``context.scratch[keys.OPTIONS]`` keeps working) and carries the type of its
value: ``keys.OPTIONS.get(context)`` is a :class:`RuleOptions` for a type
checker and a reader alike. Use the accessors (:meth:`Key.get`,
:meth:`Key.require`, :meth:`Key.set`, :meth:`Key.setdefault`, :meth:`Key.pop`) in new code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, FrozenSet, Generic, List, Optional, Set, Tuple, TypeVar, overload

if TYPE_CHECKING:  # pragma: no cover - types only
    import libcst as cst
    from libcst.codemod import CodemodContext

    from codemods.analysis.index import ProjectIndex
    from codemods.analysis.inference import TypeEngine
    from codemods.framework.options import RuleOptions
    from codemods.framework.suite import _Dispatcher

T = TypeVar("T")


class Key(str, Generic[T]):
    """A scratch key: the string the scratch dictionary is indexed with, typed by the value it holds."""

    __slots__ = ()

    @overload
    def get(self, context: "CodemodContext", default: None = None) -> Optional[T]: ...
    @overload
    def get(self, context: "CodemodContext", default: T) -> T: ...
    def get(self, context: "CodemodContext", default: Optional[T] = None) -> Optional[T]:
        """The value in ``context``'s scratch, or ``default``."""
        return context.scratch.get(self, default)  # type: ignore[return-value]

    def require(self, context: "CodemodContext") -> T:
        """The value in ``context``'s scratch; KeyError when there is none."""
        return context.scratch[self]  # type: ignore[return-value]

    def set(self, context: "CodemodContext", value: T) -> None:
        """Store ``value`` in ``context``'s scratch."""
        context.scratch[self] = value

    def setdefault(self, context: "CodemodContext", value: T) -> T:
        """The value in ``context``'s scratch, storing ``value`` first when there is none."""
        return context.scratch.setdefault(self, value)  # type: ignore[return-value]

    def pop(self, context: "CodemodContext") -> Optional[T]:
        """Remove the value from ``context``'s scratch; return it (None when there was none)."""
        return context.scratch.pop(self, None)  # type: ignore[return-value]


#: the run's options (target, docs links...)
OPTIONS: Key[RuleOptions] = Key("db2ndb.options")
#: the whole-program index (models, functions, imports of every file)
INDEX: Key[ProjectIndex] = Key("db2ndb.index")
#: the file's type inference, during the traversal
ENGINE: Key[TypeEngine] = Key("db2ndb.engine")
#: the suite's dispatcher (TODO comments, statements after), during the traversal
DISPATCHER: Key[_Dispatcher] = Key("db2ndb.dispatcher")
#: constructs converted, by rule id
CONVERTED: Key[Dict[str, int]] = Key("db2ndb.converted")
#: a rule asked for ``from google.cloud import ndb``
NDB_REQUESTED: Key[bool] = Key("db2ndb.ndb_requested")
#: legacy names still used, binding -> (module, name) the shim provides
LEGACY_BINDINGS: Key[Dict[str, Tuple[str, str]]] = Key("db2ndb.legacy_bindings")
#: DB001 put the new imports in place of the legacy ones
PLACED_IMPORTS: Key[bool] = Key("db2ndb.placed_imports")
#: the legacy names some enabled rule handles
ENABLED_HANDLES: Key[FrozenSet[str]] = Key("db2ndb.enabled_handles")
#: (rule id, message) of every TODO left, after the traversal
TODOS: Key[List[Tuple[str, str]]] = Key("db2ndb.todos")
#: shim imports kept, binding -> (module, name)
SHIM_BINDINGS: Key[Dict[str, Tuple[str, str]]] = Key("db2ndb.shim_bindings")
#: ``ndb`` is imported in the file (by DB001 or by the file itself)
NDB_IMPORTED: Key[bool] = Key("db2ndb.ndb_imported")
#: (module, its generated code): the code, when it was already generated
CODE: Key[Tuple[cst.Module, str]] = Key("db2ndb.code")
#: shim modules the file star-imports (``--to ndb``)
STAR_LEGACY: Key[Set[str]] = Key("db2ndb.star_legacy")
