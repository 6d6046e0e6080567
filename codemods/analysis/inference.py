"""Conservative type inference: is this expression a model class, entity, key or query?

The rules rewrite ``.key()``, ``.put()``, ``.get()``, ``.delete()``,
``.filter()`` ... only where the receiver is *known* to be a legacy model,
entity, key or query; ``memcache.get(k)`` or ``d.get(k)`` must never change.
Knowledge comes from:

* fully qualified names (libcst's QualifiedNameProvider, made absolute with
  the module name the way FullyQualifiedNameProvider does it, relative
  imports included, but only for the nodes a rule asks about) looked up in the
  :class:`~codemods.analysis.index.ProjectIndex`, so model classes defined in
  other files (and reached through ``from models import *``) are recognised;
* assignments (ScopeProvider + :class:`AssignedValueProvider`): a variable has
  a type only if *every* assignment to it in its scope agrees (their join,
  :func:`~codemods.analysis.types.join`);
* ``self`` / ``cls`` inside methods of model classes;
* the results of legacy calls (``M.all()`` is a query of ``M``, ``e.key()`` a
  key of ``M``, ``q.fetch(n)`` a list of ``M`` entities, ...: the shared rules
  of :mod:`codemods.analysis.types`);
* other functions of the project (:class:`~codemods.analysis.program.Program`):
  what a called function returns, and what a parameter receives at every
  call site.

Anything else is unknown (``None``), and unknown means "do not touch".
"""

from __future__ import annotations

from typing import Dict, Mapping, Optional, Set, Union

import libcst as cst
from libcst.metadata import Assignment, QualifiedName, QualifiedNameSource, Scope

from codemods.analysis.assignments import Bound
from codemods.analysis.index import ModelInfo, ProjectIndex
from codemods.analysis.metadata import parent_map
from codemods.analysis.types import (
    SPLIT_METHODS, CallFacts, EntityT, KeyT, LegacyType, ListT, ModelClassT, NumberT, StrT, TupleT,
    attribute_result, class_method_result, item_type, legacy_call_result, method_result, runner_callback,
    split_result, CYCLE, join_cycles, plain_type, type_at,
)
from codemods.framework.names import canonical


_UNKNOWN = object()




#: functions that call what they are handed with the arguments that follow it (``assertRaises(E, Model, x=1)``)
HANDING_ON_CALLERS = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "partial", "error"})


class TypeEngine:
    """Per-file inference over the metadata of one MetadataWrapper."""

    def __init__(
        self,
        *,
        scopes: Mapping[cst.CSTNode, Scope],
        qualified: Mapping[cst.CSTNode, object],
        bounds: Mapping[cst.CSTNode, Bound],
        index: ProjectIndex,
        module_name: str,
        package: str = "",
        wrapper=None,
    ) -> None:
        self._wrapper = wrapper
        self._parents = None
        self.scopes = scopes
        self._qualified = qualified
        self.package = package
        self._fq_memo: Dict[int, Set] = {}
        self._legacy_memo: Dict[int, Set[str]] = {}
        self.bounds = bounds
        self.index = index
        self.module_name = module_name
        self._memo: Dict[int, object] = {}
        self._in_progress: Set[int] = set()
        self._variables: Set[tuple] = set()
        self._cycles = 0
        self._depth = 0

    @property
    def parents(self) -> Mapping[cst.CSTNode, cst.CSTNode]:
        """What libcst's ParentNodeProvider gives (each node's parent), built on first use."""
        if self._parents is None:
            self._parents = parent_map(self._wrapper.module) if self._wrapper is not None else {}
        return self._parents

    # -- names ---------------------------------------------------------------
    def fully_qualified(self, node: cst.CSTNode) -> Set[QualifiedName]:
        """libcst's qualified names of ``node``, absolute (what FullyQualifiedNameProvider gives)."""
        key = id(node)
        found = self._fq_memo.get(key)
        if found is None:
            raw = self._qualified.get(node)
            if callable(raw):  # QualifiedNameProvider computes its values lazily
                raw = raw()
            found = {_absolute(q, self.module_name, self.package) for q in raw} if raw else set()
            self._fq_memo[key] = found
        return found

    def qualnames(self, node: cst.CSTNode) -> Set[str]:
        """Fully qualified names of a Name/Attribute, with ``import *`` resolved through the index."""
        found = self.fully_qualified(node)
        names = {q.name for q in found if q.source != QualifiedNameSource.BUILTIN} if found else set()
        if names:
            return names
        root = node
        parts = []
        while isinstance(root, cst.Attribute):
            parts.append(root.attr.value)
            root = root.value
        if not isinstance(root, cst.Name):
            return set()
        if self._is_bound(root):
            return set()
        target = self.index.star_export(self.module_name, root.value)
        if target is None:
            return set()
        return {".".join([target, *reversed(parts)])}

    def legacy_names(self, node: cst.CSTNode) -> Set[str]:
        """Canonical legacy/ndb names of a Name/Attribute (``{'db.StringProperty'}``)."""
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return set()
        key = id(node)
        out = self._legacy_memo.get(key)
        if out is None:
            out = set()
            found = self.fully_qualified(node)
            if found:
                # only names that come from an import: a module's own definitions are never the legacy API
                names = {q.name for q in found if q.source == QualifiedNameSource.IMPORT}
            else:
                names = self.qualnames(node)  # reached through `import *`
            for name in names:
                short = canonical(name)
                if short is not None:
                    out.add(short)
            self._legacy_memo[key] = out
        return out

    def is_legacy(self, node: cst.CSTNode, *names: str) -> bool:
        """True if ``node`` names one of the canonical ``names`` (``'db.put'``...)."""
        found = self.legacy_names(node)
        return any(name in found for name in names)

    def _builtin(self, name: cst.Name) -> bool:
        """True if ``name`` is the builtin of that name (not shadowed)."""
        found = self.fully_qualified(name)
        return any(q.source == QualifiedNameSource.BUILTIN and q.name == f"builtins.{name.value}" for q in found)

    def _is_bound(self, name: cst.Name) -> bool:
        scope = self.scopes.get(name)
        if scope is None:
            return False
        return bool(scope[name.value]) if name.value in scope else False

    # -- models ----------------------------------------------------------------
    def model(self, qualname: Optional[str]) -> Optional[ModelInfo]:
        """The ModelInfo for a model qualname (None for unknown)."""
        return self.index.model(qualname) if qualname else None

    def model_of_classdef(self, node: cst.ClassDef) -> Optional[ModelInfo]:
        """The model a top-level class definition of this module defines, if it is one."""
        return self.index.model(f"{self.module_name}.{node.name.value}")

    def model_class(self, node: cst.BaseExpression) -> Optional[ModelInfo]:
        """ModelInfo if ``node`` evaluates to a model class."""
        found = self.type_of(node)
        if isinstance(found, ModelClassT):
            return self.model(found.model)
        return None

    def constructed_model(self, call: cst.Call) -> Optional[ModelInfo]:
        """The model whose constructor receives ``call``'s keyword arguments.

        ``Model(...)``, or a call that hands a model class its keywords:
        ``self.assertRaises(E, Model, key_name='')``, ``partial(Model, key_name=n)``
        (the class is the last positional argument and keywords follow).
        """
        model = self.model_class(call.func) if isinstance(call.func, (cst.Name, cst.Attribute)) else None
        if model is not None:
            return model
        callee = call.func.attr.value if isinstance(call.func, cst.Attribute) else \
            call.func.value if isinstance(call.func, cst.Name) else None
        if callee not in HANDING_ON_CALLERS:
            return None
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if not positional or not any(a.keyword is not None for a in call.args):
            return None
        last = positional[-1].value
        return self.model_class(last) if isinstance(last, (cst.Name, cst.Attribute)) else None

    def function_qualname(self, node: cst.CSTNode) -> Optional[str]:
        """The Program name (``module.outer.inner``) of the function ``node`` is (or sits in); None in a method."""
        names = []
        current = node
        while current is not None:
            if isinstance(current, cst.ClassDef):
                return None
            if isinstance(current, cst.FunctionDef):
                names.append(current.name.value)
            current = self.parents.get(current)
        return f"{self.module_name}.{'.'.join(reversed(names))}" if names else None

    def in_transaction(self, node: cst.CSTNode) -> bool:
        """True if ``node`` sits in a function (not a method) that only ever runs inside a transaction (Program)."""
        qualname = self.function_qualname(node)
        return qualname is not None and self.index.program.runs_in_transaction(qualname)

    def narrowed_query(self, func: Union[cst.BaseExpression, cst.FunctionDef]) -> Optional[tuple]:
        """For a project function (a def, or the callee of a call): the query parameter it narrows in place.

        ``(name, positional index or None)``.

        See :meth:`Program.narrowed_query <codemods.analysis.program.Program.narrowed_query>`.
        """
        program = self.index.program
        if isinstance(func, cst.FunctionDef):
            qualname = self.function_qualname(func)
            return program.narrowed_query(qualname) if qualname else None
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return None
        for name in self.qualnames(func):
            name = name.replace(".<locals>.", ".")
            for candidate in (name, self.index.resolve(name)):
                if program.is_function(candidate):
                    return program.narrowed_query(candidate)
        return None

    # -- inference -------------------------------------------------------------
    def type_of(self, node: cst.CSTNode) -> Optional[LegacyType]:
        """The inferred type of an expression of the *original* tree, or None."""
        key = id(node)
        cached = self._memo.get(key, _UNKNOWN)
        if cached is not _UNKNOWN:
            return cached  # type: ignore[return-value]
        if key in self._in_progress:
            self._cycles += 1
            return CYCLE
        cycles = self._cycles
        self._in_progress.add(key)
        self._depth += 1
        try:
            result = self._infer(node)
        finally:
            self._in_progress.discard(key)
            self._depth -= 1
        if self._cycles == cycles:
            self._memo[key] = result
        if result is CYCLE and self._depth == 0:
            return None
        return result

    def _infer(self, node: cst.CSTNode) -> Optional[LegacyType]:
        if isinstance(node, (cst.Name, cst.Attribute)):
            for name in self.qualnames(node):
                resolved = self.index.resolve(name)
                if self.index.model(resolved) is not None:
                    return ModelClassT(resolved)
        if isinstance(node, cst.Name):
            narrowed = self._narrowed(node)
            return narrowed if narrowed is not None else self._infer_name(node)
        if isinstance(node, cst.Attribute):
            receiver = self.type_of(node.value)
            if receiver is CYCLE:
                return CYCLE
            return attribute_result(self.index, receiver, node.attr.value)
        if isinstance(node, cst.Call):
            return self._infer_call(node)
        if isinstance(node, cst.Tuple):
            if any(isinstance(e, cst.StarredElement) for e in node.elements):
                return None
            items = tuple(self.type_of(e.value) for e in node.elements)
            return CYCLE if any(item is CYCLE for item in items) else TupleT(items)
        if isinstance(node, cst.List):
            if any(isinstance(e, cst.StarredElement) for e in node.elements):
                return None
            if not node.elements:
                return ListT(None)
            item = self._common([e.value for e in node.elements])
            return CYCLE if item is CYCLE else ListT(item)
        if isinstance(node, (cst.ListComp, cst.GeneratorExp)):
            item = self.type_of(node.elt)
            return CYCLE if item is CYCLE else ListT(item)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return StrT()
        if isinstance(node, (cst.Integer, cst.Float)):
            return NumberT()
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Modulo) and isinstance(node.left, (cst.SimpleString, cst.ConcatenatedString)):
                return StrT()
            if isinstance(node.operator, cst.Add) and any(
                isinstance(side, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))
                for side in (node.left, node.right)
            ):
                return StrT()
            return None
        if isinstance(node, cst.Subscript):
            base = self.type_of(node.value)
            if base is CYCLE:
                return CYCLE
            if isinstance(base, ListT) and len(node.slice) == 1:
                return base.item if isinstance(node.slice[0].slice, cst.Index) else base
            if isinstance(base, TupleT) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                index = node.slice[0].slice.value
                if isinstance(index, cst.Integer):
                    position = int(index.value)
                    return base.items[position] if position < len(base.items) else None
            return None
        if isinstance(node, cst.BooleanOperation):
            return self._common([v for v in (node.left, node.right) if not _is_none(v)])
        if isinstance(node, cst.IfExp):
            # ``x if c else None``: an Optional value is still that type where it is used
            return self._common([v for v in (node.body, node.orelse) if not _is_none(v)])
        return None

    def _common(self, nodes) -> Optional[LegacyType]:
        return join_cycles([self.type_of(n) for n in nodes])

    def _narrowed(self, node: cst.Name) -> Optional[LegacyType]:
        """``x`` inside ``if isinstance(x, db.Key):`` (``db.Model``, a model class ...): what the test says it is."""
        if self._wrapper is None:
            return None
        parents = self.parents
        child, parent = node, parents.get(node)
        while parent is not None and not isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.Module)):
            if isinstance(parent, cst.If) and child is parent.body:
                found = self._isinstance_test(parent.test, node.value)
                if found is not None:
                    return found
            child, parent = parent, parents.get(parent)
        return None

    def _isinstance_test(self, test: cst.BaseExpression, name: str) -> Optional[LegacyType]:
        if not (isinstance(test, cst.Call) and isinstance(test.func, cst.Name) and test.func.value == "isinstance"
                and len(test.args) == 2 and isinstance(test.args[0].value, cst.Name)
                and test.args[0].value.value == name and self._builtin(test.func)):
            return None
        kind = test.args[1].value
        if not isinstance(kind, (cst.Name, cst.Attribute)):
            return None
        legacy = self.legacy_names(kind)
        if "db.Key" in legacy:
            return KeyT()
        if legacy & {"db.Model", "db.Expando", "polymodel.PolyModel"}:
            return EntityT(None)
        found = self.type_of(kind)
        return EntityT(found.model) if isinstance(found, ModelClassT) else None

    def _infer_name(self, node: cst.Name) -> Optional[LegacyType]:
        scope = self.scopes.get(node)
        if scope is None or node.value not in scope:
            return None
        assignments = scope[node.value]
        if not assignments:
            return None
        variable = tuple(sorted(id(a) for a in assignments))
        if variable in self._variables:
            self._cycles += 1
            return CYCLE
        self._variables.add(variable)
        try:
            return self._infer_variable(assignments)
        finally:
            self._variables.discard(variable)

    def _infer_variable(self, assignments) -> Optional[LegacyType]:
        found = []
        for assignment in assignments:
            if not isinstance(assignment, Assignment):
                return None
            target = assignment.node
            bound = self.bounds.get(target)
            if bound is None:
                if isinstance(target, cst.ClassDef):
                    model = self.model_of_classdef(target)
                    if model is None:
                        return None
                    found.append(ModelClassT(model.qualname))
                    continue
                return None
            if bound.how in ("self", "cls"):
                model = self.model_of_classdef(bound.cls) if bound.cls is not None else None
                if model is None:
                    return None
                found.append(EntityT(model.qualname) if bound.how == "self" else ModelClassT(model.qualname))
                continue
            if bound.how == "param":
                found.append(self._parameter(bound, target))
            elif bound.how == "value":
                if id(bound.value) in self._in_progress:
                    continue  # q = q.filter(...): the other assignments decide
                value_type = self.type_of(bound.value)
                if isinstance(value_type, ListT) and value_type.item is None and not bound.path:
                    value_type = self._appended(assignment, value_type)
                found.append(type_at(value_type, bound.path))
            elif bound.how == "item":
                if id(bound.value) in self._in_progress:
                    continue
                found.append(type_at(self._item_type(self.type_of(bound.value)), bound.path))
            else:
                return None
            if found[-1] is None:
                return None
        return join_cycles(found) if found else None

    def _parameter(self, bound: Bound, param: cst.CSTNode) -> Optional[LegacyType]:
        """A parameter of a function (not a method): what all its call sites pass (Program)."""
        if bound.function is None or not isinstance(param, cst.Param):
            return None
        return self.index.program.param_type(f"{self.module_name}.{bound.function}", param.name.value)

    def _appended(self, assignment, empty: "ListT") -> "ListT":
        """``xs = []`` followed by ``xs.append(v)``: a list of v's type (if all appends agree)."""
        values = []
        for access in assignment.references:
            bound = self.bounds.get(access.node)
            if bound is not None and bound.how == "append":
                values.append(bound.value)
        if not values:
            return empty
        item = self._common(values)
        if item is CYCLE:
            return CYCLE
        return ListT(item) if item is not None else empty

    @staticmethod
    def _item_type(container: Optional[LegacyType]) -> Optional[LegacyType]:
        if container is CYCLE:
            return CYCLE
        return item_type(container)

    def _call_facts(self, node: cst.Call) -> CallFacts:
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        plain = len(positional) == len([a for a in node.args if a.keyword is None])

        def string_at(i: int) -> Optional[str]:
            value = positional[i]
            if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
                evaluated = value.evaluated_value
                return evaluated if isinstance(evaluated, str) else None
            return None

        return CallFacts(
            count=len(positional) if plain else 0,
            type_at=lambda i: plain_type(self.type_of(positional[i])),
            string_at=string_at,
            keyword_true=lambda name: _kwarg_true(node, name),
        )

    def _infer_call(self, node: cst.Call) -> Optional[LegacyType]:
        func = node.func
        legacy = self.legacy_names(func) if isinstance(func, (cst.Name, cst.Attribute)) else set()
        if legacy:
            found = legacy_call_result(self.index, legacy, self._call_facts(node))
            if found is not None:
                return found
            position = runner_callback(legacy)
            if position is not None and len(node.args) > position and node.args[position].keyword is None:
                # db.run_in_transaction(f, ...) gives what f returns
                found = self._function_result(node.args[position].value)
                if found is not None:
                    return found
        callee = self.type_of(func)
        if callee is CYCLE:
            return CYCLE
        if isinstance(callee, ModelClassT):
            return EntityT(callee.model)
        if isinstance(func, (cst.Name, cst.Attribute)):
            found = self._function_result(func)
            if found is not None:
                return found
        if not isinstance(func, cst.Attribute):
            if isinstance(func, cst.Name) and func.value in ("list", "tuple", "sorted") and node.args:
                inner = self.type_of(node.args[0].value)
                item = self._item_type(inner)
                return ListT(item) if item is not None or isinstance(inner, ListT) else None
            if isinstance(func, cst.Name) and func.value == "str":
                return StrT()
            if isinstance(func, cst.Name) and func.value == "enumerate" and node.args and self._builtin(func):
                return ListT(TupleT((NumberT(), self._item_type(self.type_of(node.args[0].value)))))
            if isinstance(func, cst.Name) and func.value == "zip" and node.args and self._builtin(func):
                return ListT(TupleT(tuple(self._item_type(self.type_of(a.value)) for a in node.args)))
            return None
        method = func.attr.value
        receiver = self.type_of(func.value)
        if receiver is CYCLE:
            return CYCLE
        if isinstance(receiver, ModelClassT):
            return class_method_result(self.index, receiver.model, method, self._call_facts(node))
        found = method_result(receiver, method)
        if found is None and receiver is None and method in SPLIT_METHODS and not self._is_module(func.value):
            return split_result(method)
        return found

    def _function_result(self, func: cst.BaseExpression) -> Optional[LegacyType]:
        """What calling ``func`` gives, if it names a function of the project (Program)."""
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return None
        program = self.index.program
        for name in self.qualnames(func):
            name = name.replace(".<locals>.", ".")  # a nested function
            if program.is_function(name):
                return program.return_type(name)
            resolved = self.index.resolve(name)
            if resolved != name and program.is_function(resolved):
                return program.return_type(resolved)
        return None

    def _is_module(self, node: cst.BaseExpression) -> bool:
        """True if ``node`` is (an attribute of) an imported name: ``os.path``, ``re``."""
        while isinstance(node, cst.Attribute):
            node = node.value
        if not isinstance(node, cst.Name):
            return False
        found = self.fully_qualified(node)
        return bool(found) and all(q.source == QualifiedNameSource.IMPORT for q in found)


def _is_none(node) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _absolute(qname: QualifiedName, module: str, package: str) -> QualifiedName:
    """Make a QualifiedNameProvider name absolute, as libcst's FullyQualifiedNameProvider does.

    Builtins and absolute imports stay; local names get the module prefix;
    relative imports are resolved against the package (importlib's rule).
    """
    if qname.source == QualifiedNameSource.BUILTIN:
        return qname
    name = qname.name
    if qname.source == QualifiedNameSource.IMPORT and not name.startswith("."):
        return qname
    bare = name.lstrip(".")
    dots = len(name) - len(bare)
    if dots:
        bits = package.rsplit(".", dots - 1) if package else [""]
        base = bits[0] if len(bits) >= dots else ""
    else:
        base = module
    return QualifiedName(name=f"{base}.{bare}" if base else bare, source=qname.source)




def _kwarg_true(node: cst.Call, name: str) -> bool:
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return isinstance(arg.value, cst.Name) and arg.value.value == "True"
    return False


def model_reference(engine: "TypeEngine", qualname: str) -> Optional[str]:
    """An expression text naming the model class ``qualname`` from the current module, or None.

    Tries a local class, then imports (``from models import Comment`` or
    ``import models`` -> ``models.Comment``), then names reachable through
    ``from x import *``.
    """
    index = engine.index
    module = index.modules.get(engine.module_name)
    head, _, name = qualname.rpartition(".")
    if head == engine.module_name:
        return name
    if module is None:
        return None
    best = None
    for binding, target in sorted(module.imports.items()):
        resolved = index.resolve(target)
        if resolved == qualname:
            return binding
        if qualname.startswith(resolved + ".") and best is None:
            best = binding + qualname[len(resolved):]
        elif qualname.startswith(target + ".") and best is None:
            best = binding + qualname[len(target):]
    if best is not None:
        return best
    if module.star_imports:
        found = index.star_export(engine.module_name, name)
        if found is not None and index.resolve(found) == qualname:
            return name
    return None
