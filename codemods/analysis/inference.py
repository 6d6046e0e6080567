"""The per-file view of the type inference: what a rule asks about one node of the file it rewrites.

The rules rewrite ``.key()``, ``.put()``, ``.get()``, ``.delete()``,
``.filter()`` ... only where the receiver is *known* to be a legacy model,
entity, key or query; ``memcache.get(k)`` or ``d.get(k)`` must never change.

There is one inference engine, :class:`~codemods.analysis.program.Program`:
it reads every file of the run with Python's ``ast`` and is the one store of
type facts (what each variable of each scope holds, what functions return
and their parameters receive, which functions run in a transaction, the
rules of :mod:`codemods.analysis.types` for what legacy calls give).
:class:`TypeEngine` is a thin adapter over it for one libcst tree:

* ``type_of(node)`` reads the node as an ``ast`` expression
  (:mod:`codemods.analysis.cst_to_ast`), finds the Program scope it is
  evaluated in from libcst's scope of the node (a def, lambda, class or
  comprehension is named by a path both trees agree on,
  :meth:`~codemods.analysis.scopes.ModuleScopes.scope_by_path`), adds the
  ``if isinstance(x, K):`` tests around it, and asks Program;
* what is genuinely about libcst nodes stays here, on libcst's own metadata:
  fully qualified names (QualifiedNameProvider, made absolute the way
  FullyQualifiedNameProvider does it, only for the nodes a rule asks about)
  and the legacy API names they are (``legacy_names``), parents, the
  function a node sits in.

Trade-offs: a variable's type is computed once per run (Program's memo)
instead of once per file over libcst nodes, at the price of building an
``ast`` twin of each asked node (from its fields; printed and re-parsed only
for rare node kinds) and of finding its scope by path; the project phase
keeps reading files with ``ast`` because libcst metadata costs several
times more (docs/codemods.md, "Performance"). The module's ``ast`` must be
of the very text libcst parsed: the runner and the suite index the text
they rewrite.

Anything unknown is ``None``, and unknown means "do not touch".
"""

from __future__ import annotations

import ast
import dataclasses
import weakref
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple, Union

import libcst as cst
from libcst.metadata import QualifiedName, QualifiedNameSource, Scope

from codemods.analysis.assignments import Bound
from codemods.analysis.cst_to_ast import AstOfCst
from codemods.analysis.index import ModelInfo, ProjectIndex
from codemods.analysis.metadata import QualifiedNames, parent_map
from codemods.analysis.scopes import isinstance_test
from codemods.analysis.types import LegacyType, ModelClassT
from codemods.framework.names import canonical


_UNKNOWN = object()

#: functions that call what they are handed with the arguments that follow it (``assertRaises(E, Model, x=1)``)
HANDING_ON_CALLERS = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "partial", "error"})


class TypeEngine:
    """The per-file view over one MetadataWrapper: libcst's names for a node, Program's types for it."""

    def __init__(
        self,
        *,
        scopes: Mapping[cst.CSTNode, Optional[Scope]],
        qualified: Union[QualifiedNames, Mapping[cst.CSTNode, Any]],
        bounds: Mapping[cst.CSTNode, Bound],
        index: ProjectIndex,
        module_name: str,
        package: str = "",
        wrapper=None,
    ) -> None:
        self._wrapper = wrapper
        self._parents: Optional[Mapping[cst.CSTNode, cst.CSTNode]] = None
        self.scopes = scopes
        self._qualified = qualified
        self.package = package
        self._fq_memo: Dict[int, Set] = {}
        self._legacy_memo: Dict[int, Set[str]] = {}
        self.bounds = bounds
        self.index = index
        self.module_name = module_name
        self._memo: Dict[int, object] = {}
        self._module_view: object = _UNKNOWN
        self._paths: Dict[cst.CSTNode, Dict[cst.CSTNode, tuple]] = {}
        self._program_scopes: Dict[int, object] = {}
        self._twins = AstOfCst(wrapper.module if wrapper is not None else None)
        # when this view is freed, Program forgets its expressions (kept alive until then by the finalizer)
        weakref.finalize(self, _forget, index, module_name, self._twins).atexit = False

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
        current: Optional[cst.CSTNode] = node
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

    # -- types: Program's facts, looked up for the node -----------------------------------
    def type_of(self, node: cst.CSTNode) -> Optional[LegacyType]:
        """The inferred type of an expression of the *original* tree, or None.

        Program evaluates it: the node is read as an ``ast`` expression in the
        Program scope it sits in (found through libcst's scope of the node),
        with the ``if isinstance(...)`` tests around it.
        """
        key = id(node)
        found = self._memo.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            found = self._memo[key] = self._ask(node)
        return found  # type: ignore[return-value]

    def _ask(self, node: cst.CSTNode) -> Optional[LegacyType]:
        if not isinstance(node, cst.BaseExpression):
            return None
        scope = self._program_scope(node)
        if scope is None:
            return None
        expr = self._as_ast(node)
        if expr is None:
            return None
        return self.index.program.expression_type(expr, scope, self._narrowing(node))

    def _view(self):
        if self._module_view is _UNKNOWN:
            self._module_view = self.index.program.view(self.module_name)
        return self._module_view

    def _program_scope(self, node: cst.CSTNode):
        """The Program scope (:class:`~codemods.analysis.scopes.Scope`) ``node`` is evaluated in, via libcst's scope."""
        view = self._view()
        scope = self.scopes.get(node)
        if view is None or scope is None:
            return None
        found = self._program_scopes.get(id(scope), _UNKNOWN)
        if found is _UNKNOWN:
            owner = getattr(scope, "node", None)
            if owner is None or isinstance(owner, cst.Module):
                found = view.scope
            else:
                path = self._scope_path(owner)
                found = view.scope_by_path(path) if path is not None else None
            self._program_scopes[id(scope)] = found
        return found

    def _scope_path(self, owner: cst.CSTNode) -> Optional[tuple]:
        """The path of a def / lambda / class / comprehension node (:meth:`ModuleScopes.scope_by_path`)."""
        steps = []
        parents = self.parents
        node: Optional[cst.CSTNode] = owner
        while node is not None and not isinstance(node, cst.Module):
            if type(node) in _SCOPE_KINDS:
                around = parents.get(node)
                while around is not None and type(around) not in _SCOPE_KINDS and not isinstance(around, cst.Module):
                    around = parents.get(around)
                if around is None:
                    return None
                step = self._inner_scopes(around).get(node)
                if step is None:
                    return None
                steps.append(step)
                node = around
            else:
                node = parents.get(node)
        return tuple(reversed(steps))

    def _inner_scopes(self, owner: cst.CSTNode) -> Dict[cst.CSTNode, tuple]:
        """``{scope node: (kind, name, ordinal)}`` for the scope nodes directly inside ``owner``, numbered in source order."""
        found = self._paths.get(owner)
        if found is None:
            found = self._paths[owner] = {}
            counts: Dict[tuple, int] = {}
            stack = list(reversed(_source_children(owner)))
            while stack:
                node = stack.pop()
                kind = _SCOPE_KINDS.get(type(node))
                if kind is None:
                    stack.extend(reversed(_source_children(node)))
                    continue
                name = node.name.value if isinstance(node, (cst.FunctionDef, cst.ClassDef)) else ""
                ordinal = counts.get((kind, name), 0)
                counts[(kind, name)] = ordinal + 1
                found[node] = (kind, name, ordinal)
        return found

    def _as_ast(self, node: cst.BaseExpression) -> Optional[ast.expr]:
        """The expression ``node`` as Python's ``ast`` reads it (:mod:`codemods.analysis.cst_to_ast`)."""
        return self._twins.expression(node)

    def _narrowing(self, node: cst.CSTNode) -> list:
        """The ``if isinstance(name, K):`` tests whose body holds ``node`` (in this def / lambda / class), outermost first."""
        found: list = []
        view = self._view()
        if view is None or not view.narrows:
            return found  # no ``if isinstance(...)`` anywhere in the module
        parents = self.parents
        child, parent = node, parents.get(node)
        while parent is not None and not isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.Module)):
            if isinstance(parent, cst.If) and child is parent.body and isinstance(parent.test, cst.Call) \
                    and isinstance(parent.test.func, cst.Name) and parent.test.func.value == "isinstance":
                test = self._as_ast(parent.test)
                narrows = isinstance_test(test) if test is not None else None
                scope = self._program_scope(parent.test) if narrows is not None else None
                if narrows is not None and scope is not None:
                    found.append((narrows[0], narrows[1], scope))
            child, parent = parent, parents.get(parent)
        found.reverse()
        return found


def _forget(index: ProjectIndex, module_name: str, twins: AstOfCst) -> None:
    built = twins.twins()
    if built:  # only a view that asked Program about its nodes built twins
        index.program.forget(module_name, built)


#: the libcst nodes that open a scope, named as :data:`codemods.analysis.scopes.SCOPE_KINDS` names their ``ast`` twins
_SCOPE_KINDS = {
    cst.FunctionDef: "def", cst.Lambda: "lambda", cst.ClassDef: "class",
    cst.ListComp: "listcomp", cst.SetComp: "setcomp", cst.DictComp: "dictcomp", cst.GeneratorExp: "genexp",
}

#: node types whose fields are not in source order (the rest are)
_SOURCE_ORDER = {
    cst.FunctionDef: ("decorators", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.Parameters: ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
}
_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _source_children(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The child nodes of ``node`` in source order (read from its fields, as metadata.parent_map does)."""
    names = _FIELDS.get(type(node))
    if names is None:
        names = _FIELDS[type(node)] = _SOURCE_ORDER.get(type(node)) or tuple(f.name for f in dataclasses.fields(node))
    children: List[cst.CSTNode] = []
    for name in names:
        value = getattr(node, name)
        if isinstance(value, (tuple, list)):
            children.extend(item for item in value if isinstance(item, cst.CSTNode))
        elif isinstance(value, cst.CSTNode):
            children.append(value)
    return children


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
