"""Read-only libcst walks: the events of ``node.visit(visitor)`` without rebuilding the tree.

libcst has one traversal, ``CSTNode.visit``, and it rebuilds every node it
passes (``_visit_and_replace_children`` constructs a new node from the
visited children, validation included), even for a ``CSTVisitor`` that
cannot change anything. For the metadata walks, which only read, that
rebuilding is most of their cost.

:func:`walk` sends a visitor the same calls ``node.visit(visitor)`` would —
``visit_<Node>`` (or the visitor's own ``on_visit``), for each child
attribute ``visit_<Node>_<attribute>``, the attribute's children,
``leave_<Node>_<attribute>``, then ``leave_<Node>`` (or ``on_leave``) — in
libcst's own order, and returns nothing: no node is built.

The order of a node type's child attributes is libcst's: it is read from
libcst itself, by letting ``_visit_and_replace_children`` visit one node of
that type with a visitor that records the attribute names and descends
nowhere (:func:`child_attributes`). A few node types visit an attribute
only when it is set (``FormattedStringExpression.format_spec``); for them
the names are recorded per node.

Visitors that also call ``child.visit(self)`` themselves (libcst's scope and
expression-context visitors do) are made read-only with
:func:`read_only`: a subclass whose ``on_visit`` walks the node with
:func:`walk` and tells libcst not to descend, so those nested visits are
read-only too.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from typing import Any, Callable, Dict, List, Optional, Tuple

import libcst as cst
from libcst import CSTVisitor, MaybeSentinel

_TYPED_VISITOR_MODULE = "libcst._typed_visitor"  # libcst's generated no-op visit_*/leave_* for every node type


class _AttributeRecorder(CSTVisitor):
    """Records the child attributes ``_visit_and_replace_children`` visits, in order; enters no child."""

    def __init__(self) -> None:
        super().__init__()
        self.names: List[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        return None

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.names.append(attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None


#: ``{node type: its child attributes in visiting order}``; ``None``: recorded per node
_ORDER: Dict[type, Optional[Tuple[str, ...]]] = {}


def _recorded(node: cst.CSTNode) -> Tuple[str, ...]:
    recorder = _AttributeRecorder()
    node._visit_and_replace_children(recorder)
    return tuple(recorder.names)


def _conditional(kind: type) -> bool:
    """Whether ``kind``'s ``_visit_and_replace_children`` may skip an attribute (a conditional in its code)."""
    try:
        source = textwrap.dedent(inspect.getsource(getattr(kind, "_visit_and_replace_children")))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return True
    return any(isinstance(n, (ast.If, ast.IfExp, ast.For, ast.While, ast.BoolOp, ast.Match)) for n in ast.walk(tree))


def child_attributes(node: cst.CSTNode) -> Tuple[str, ...]:
    """The attributes libcst's traversal visits on ``node``, in its order (what ``on_visit_attribute`` receives)."""
    kind = type(node)
    try:
        order = _ORDER[kind]
    except KeyError:
        order = _ORDER[kind] = None if _conditional(kind) else _recorded(node)
    return order if order is not None else _recorded(node)


_Hook = Optional[Callable[..., Any]]
_Children = Tuple[Tuple[str, _Hook, _Hook], ...]


class _Plan:
    """How one visitor class receives the events: per node type, the functions to call (``None``: nothing to call)."""

    def __init__(self, visitor_class: type) -> None:
        self.visitor_class = visitor_class
        self.on_visit = _own(visitor_class, "on_visit")
        self.on_leave = _own(visitor_class, "on_leave")
        self.on_visit_attribute = _own(visitor_class, "on_visit_attribute")
        self.on_leave_attribute = _own(visitor_class, "on_leave_attribute")
        #: ``{node type: (visit, leave, children or None when recorded per node)}``
        self.types: Dict[type, Tuple[_Hook, _Hook, Optional[_Children]]] = {}
        self._attribute_hooks: Dict[Tuple[str, str], Tuple[_Hook, _Hook]] = {}

    def add(self, node: cst.CSTNode) -> Tuple[_Hook, _Hook, Optional[_Children]]:
        """The entry of ``type(node)``, made from ``node``."""
        kind = type(node)
        name = kind.__name__
        visit = self.on_visit or visitor_method(self.visitor_class, f"visit_{name}")
        leave = self.on_leave or visitor_method(self.visitor_class, f"leave_{name}")
        child_attributes(node)
        order = _ORDER[kind]
        entry = self.types[kind] = (visit, leave, None if order is None else self.children(kind, order))
        return entry

    def children(self, kind: type, order: Tuple[str, ...]) -> _Children:
        """``((attribute, its visit hook, its leave hook), ...)`` of a node type, in visiting order."""
        return tuple((attribute, *self._hooks(kind.__name__, attribute)) for attribute in order)

    def _hooks(self, type_name: str, attribute: str) -> Tuple[_Hook, _Hook]:
        key = (type_name, attribute)
        found = self._attribute_hooks.get(key)
        if found is None:
            visit = (_with_attribute(self.on_visit_attribute, attribute) if self.on_visit_attribute
                     else visitor_method(self.visitor_class, f"visit_{type_name}_{attribute}"))
            leave = (_with_attribute(self.on_leave_attribute, attribute) if self.on_leave_attribute
                     else visitor_method(self.visitor_class, f"leave_{type_name}_{attribute}"))
            found = self._attribute_hooks[key] = (visit, leave)
        return found


def _with_attribute(general: Callable[..., Any], attribute: str) -> Callable[..., Any]:
    return lambda visitor, node: general(visitor, node, attribute)


def _own(visitor_class: type, name: str) -> _Hook:
    """The visitor's own ``name`` method (``on_visit``...), or None where it is ``CSTVisitor``'s (dispatch by name)."""
    for klass in visitor_class.__mro__:
        if klass is _ReadOnly:
            continue  # the mixin's on_visit starts a walk; the walk calls what is behind it
        if name in klass.__dict__:
            if klass is CSTVisitor or klass.__module__ == _TYPED_VISITOR_MODULE:
                return None
            return klass.__dict__[name]
    return None


def visitor_method(visitor_class: type, name: str) -> _Hook:
    """The visitor's ``name`` method (``visit_Name``...), or None if it has none beyond libcst's no-ops."""
    function = getattr(visitor_class, name, None)
    if function is None or getattr(function, "__module__", None) == _TYPED_VISITOR_MODULE:
        return None
    return function


_PLANS: Dict[type, _Plan] = {}


def walk(visitor: Any, node: cst.CSTNode) -> None:
    """Send ``visitor`` the calls ``node.visit(visitor)`` would send it, in the same order, without rebuilding a node.

    ``visitor`` is a ``CSTVisitor`` or a batchable visitor (a
    ``BatchableMetadataProvider``: as in libcst's batched walk, its
    ``visit_<Node>`` methods return None). Visitors that call
    ``child.visit(self)`` themselves must be made with :func:`read_only`.
    """
    kind = type(visitor)
    plan = _PLANS.get(kind)
    if plan is None:
        plan = _PLANS[kind] = _Plan(kind)
    _walk(visitor, node, plan)


def _walk(visitor: Any, node: cst.CSTNode, plan: _Plan) -> None:
    entry = plan.types.get(type(node))
    if entry is None:
        entry = plan.add(node)
    visit, leave, children = entry
    if visit is None or visit(visitor, node) is not False:
        if children is None:
            children = plan.children(type(node), _recorded(node))
        for attribute, before, after in children:
            if before is not None:
                before(visitor, node)
            value = getattr(node, attribute)
            kind = type(value)
            if kind is tuple or kind is list:
                for child in value:
                    _walk(visitor, child, plan)
            elif value is not None and kind is not MaybeSentinel:
                _walk(visitor, value, plan)
            if after is not None:
                after(visitor, node)
    if leave is not None:
        leave(visitor, node)


class _ReadOnly:
    """Mixin: ``node.visit(self)`` (libcst's traversal) becomes one read-only :func:`walk` of ``node``."""

    def on_visit(self, node: cst.CSTNode) -> bool:
        walk(self, node)
        return False  # libcst then skips the children (and the rebuild)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        return None  # the walk has left the node already


def read_only(visitor_class: type) -> type:
    """A subclass of the libcst visitor ``visitor_class`` whose traversals (its own nested ones too) are read-only walks.

    Same calls in the same order as ``visitor_class`` gets from libcst: a
    ``node.visit(visitor)`` runs :func:`walk`, and libcst's traversal, told
    not to descend, builds nothing. Methods of ``visitor_class`` that create
    new visitors of their own class (``ExpressionContextVisitor`` does, for
    assignment targets and attribute values) create the read-only subclass
    instead: they are the same functions, reading their class's name from
    a copy of their module's globals.
    """
    name = visitor_class.__name__
    copy = types.new_class(f"ReadOnly{name}", (_ReadOnly, visitor_class))
    copy.__module__ = __name__
    for attribute, function in vars(visitor_class).items():
        if isinstance(function, types.FunctionType) and name in function.__code__.co_names:
            namespace = dict(function.__globals__)
            namespace[name] = copy
            rebound = types.FunctionType(function.__code__, namespace, function.__name__,
                                         function.__defaults__, function.__closure__)
            rebound.__kwdefaults__ = function.__kwdefaults__
            rebound.__qualname__ = function.__qualname__
            setattr(copy, attribute, rebound)
    return copy
