"""The libcst metadata of one file, resolved in three read-only tree walks.

The rules need libcst's scopes (``ScopeProvider``), the qualified names of
the names they look at (``QualifiedNameProvider``) and where each variable
got its value (:class:`~codemods.analysis.assignments.AssignedValueProvider`).
Resolved through ``MetadataWrapper.resolve_many`` they cost five walks of
the whole tree: libcst walks it once per batch of providers, and
``ScopeProvider`` and ``QualifiedNameProvider`` each walk it once more
inside their ``visit_Module``; and a libcst walk rebuilds every node it
passes, even for a visitor that only reads. Here (:func:`resolve`):

* ``ExpressionContextProvider``'s visitor, ``AssignedValueProvider`` and
  libcst's scope visitor each get one read-only walk
  (:mod:`codemods.analysis.readonly`: the same calls in the same order as
  libcst's traversal, no node rebuilt), with no batched walk around them;
* the scope visitor's per-node ``on_leave`` tests are made once per node
  type (:class:`_ScopeVisitor`);
* qualified names are not resolved ahead: :class:`QualifiedNames` asks the
  node's scope (``Scope.get_qualified_names_for``, exactly what
  ``QualifiedNameProvider`` computes, lazily, for every node) for the few
  nodes the rules ask about.

tests/codemods/test_cm_metadata.py compares every value with libcst's own
providers.

:func:`parent_map` gives what ``ParentNodeProvider`` gives (each node's
parent) by reading the nodes' fields, without a libcst walk: libcst's
provider walks the tree and asks every node for its ``children``, which is
one more walk per node level.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Collection, Dict, Mapping, Optional, Tuple, cast

import libcst as cst
from libcst.metadata import (
    ExpressionContextProvider,
    MetadataWrapper,
    QualifiedName,
    Scope,
    ScopeProvider,
)
from libcst.metadata.expression_context_provider import ExpressionContext, ExpressionContextVisitor
from libcst.metadata.base_provider import _UNDEFINED_DEFAULT
from libcst.metadata.scope_provider import _ASSIGNMENT_LIKE_NODES, ScopeVisitor

from codemods.analysis.assignments import AssignedValueProvider, Bound
from codemods.analysis.readonly import read_only, visitor_method, walk


class _ScopeAnalysis(ScopeProvider):
    """libcst's ``ScopeProvider`` run by hand: its scope visitor's one walk, read-only, without the batched walk around it.

    ``ScopeProvider`` does all its work in ``visit_Module`` (a walk of its
    own); resolved by ``MetadataWrapper`` it costs one more walk that only
    rebuilds the tree, and a non-batchable provider would cost an empty
    batched walk instead. Same scopes, read from ``self.scopes``.
    """

    def __init__(self, contexts: Mapping[cst.CSTNode, object]) -> None:
        super().__init__()
        self.metadata = {ExpressionContextProvider: contexts}
        self.scopes: Dict[cst.CSTNode, Optional[Scope]] = {}
        self._contexts = contexts

    def set_metadata(self, node: cst.CSTNode, value) -> None:
        self.scopes[node] = value

    def get_metadata(self, key, node, default=_UNDEFINED_DEFAULT):
        """The expression contexts read straight from their mapping (the scope visitor asks for every name)."""
        if key is ExpressionContextProvider:
            return self._contexts[node] if default is _UNDEFINED_DEFAULT else self._contexts.get(node, default)
        return super().get_metadata(key, node, default)

    def visit_Module(self, node: cst.Module) -> Optional[bool]:
        """``ScopeProvider.visit_Module`` with the read-only scope visitor."""
        visitor = _ReadOnlyScopeVisitor(self)
        node.visit(visitor)
        visitor.infer_accesses()
        return None


class _ExpressionContexts(ExpressionContextProvider):
    """libcst's ``ExpressionContextProvider`` run by hand, with its visitor read-only."""

    def contexts(self, module: cst.Module) -> Mapping[cst.CSTNode, object]:
        """``{node: ExpressionContext}``: what ``ExpressionContextProvider`` gives for ``module``."""
        module.visit(_ReadOnlyExpressionContextVisitor(self, ExpressionContext.LOAD))
        return self._computed


class _ScopeVisitor(ScopeVisitor):
    """libcst's scope visitor with its ``on_leave`` tests made once per node type.

    ``ScopeVisitor.on_leave`` records the node's scope, counts
    assignment-like nodes (an ``isinstance`` against eighteen abstract-base
    classes, for every node of the tree) and calls ``leave_<Node>`` found by
    name. Same three steps, with the type test and the method looked up once
    per node type.
    """

    def on_leave(self, original_node: cst.CSTNode) -> None:
        kind = type(original_node)
        found = _LEAVES.get((type(self), kind))
        if found is None:
            leave = visitor_method(type(self), f"leave_{kind.__name__}")
            found = _LEAVES[(type(self), kind)] = (issubclass(kind, _ASSIGNMENT_LIKE_NODES), leave)
        self.provider.set_metadata(original_node, self.scope)
        if found[0]:
            self.scope._assignment_count += 1
        if found[1] is not None:
            found[1](self, original_node)


_LEAVES: Dict[Tuple[type, type], Tuple[bool, Optional[Callable[..., None]]]] = {}
_ReadOnlyScopeVisitor = read_only(_ScopeVisitor)
_ReadOnlyExpressionContextVisitor = read_only(ExpressionContextVisitor)


class QualifiedNames:
    """``QualifiedNameProvider``'s values, computed on demand from the scopes.

    ``get(node)`` is what ``wrapper.resolve(QualifiedNameProvider)[node]``
    gives once evaluated: the node's scope's ``get_qualified_names_for(node)``,
    or an empty set for a node without a scope.
    """

    def __init__(self, scopes: Mapping[cst.CSTNode, Optional[Scope]]) -> None:
        self._scopes = scopes

    def get(self, node: cst.CSTNode, default=None) -> Collection[QualifiedName]:
        """The qualified names of ``node`` (relative, as ``QualifiedNameProvider`` gives them).

        ``default`` for a node outside the tree (a node a rule built), as a
        mapping resolved by libcst would.
        """
        if node not in self._scopes:
            return default
        scope = self._scopes[node]
        if scope:
            return scope.get_qualified_names_for(node)
        return set()

    def __getitem__(self, node: cst.CSTNode) -> Collection[QualifiedName]:
        if node not in self._scopes:
            raise KeyError(node)
        return self.get(node)

    def __contains__(self, node: object) -> bool:
        return node in self._scopes


@dataclass
class FileMetadata:
    """What the rules read about one module's tree (the tree of ``wrapper.module``)."""

    wrapper: MetadataWrapper
    scopes: Mapping[cst.CSTNode, Optional[Scope]]
    qualified: QualifiedNames
    bounds: Mapping[cst.CSTNode, Bound]


def resolve(module: cst.Module) -> FileMetadata:
    """Resolve the metadata of ``module`` in three read-only walks (not copied: the rules must see the very nodes they rewrite)."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    contexts = _ExpressionContexts().contexts(module)
    assigned = AssignedValueProvider()
    walk(assigned, module)
    analysis = _ScopeAnalysis(contexts)
    analysis.visit_Module(module)  # the scope visitor's walk
    return FileMetadata(
        wrapper=wrapper,
        scopes=analysis.scopes,
        qualified=QualifiedNames(analysis.scopes),
        bounds=cast(Mapping[cst.CSTNode, Bound], assigned._computed),
    )


_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _fields(kind: type) -> Tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def parent_map(module: cst.Module) -> Dict[cst.CSTNode, cst.CSTNode]:
    """``{node: parent}`` for every node below ``module``: ``ParentNodeProvider``'s values, read from the fields.

    A node's children are the CSTNode values of its fields (or items of its
    sequence fields), exactly what libcst's ``children`` visits.
    """
    parents: Dict[cst.CSTNode, cst.CSTNode] = {}
    stack = [module]
    is_node = _IS_NODE
    while stack:
        node = stack.pop()
        for name in _fields(type(node)):
            value = getattr(node, name)
            kind = type(value)
            if kind is tuple or kind is list:
                for item in value:
                    found = is_node.get(type(item))
                    if found is None:
                        found = is_node[type(item)] = isinstance(item, cst.CSTNode)
                    if found:
                        parents[item] = node
                        stack.append(item)
                continue
            found = is_node.get(kind)
            if found is None:
                found = is_node[kind] = isinstance(value, cst.CSTNode)
            if found:
                parents[value] = node
                stack.append(value)
    return parents


#: ``{type: is it a CSTNode}`` (``isinstance`` on libcst's abstract base class is slow)
_IS_NODE: Dict[type, bool] = {}
