"""DB009: legacy queries are mutable; ndb's are not."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import Assignment

from codemods.analysis.types import QueryT
from codemods.framework.rule import Rule
from codemods.rules._common import short

_MUTATORS = {"filter", "order", "bind"}


class MutableQueriesRule(Rule):
    """DB009 mutable queries: a discarded ``q.filter(...)`` becomes ``q = q.filter(...)``.

        q = Post.all()                          q = Post.query()
        q.filter('published =', True)           q = q.filter(Post.published == True)
        q.order('-created')                     q = q.order(-Post.created)
        q.bind('comedy')                        q = q.bind('comedy')      (a GQL query)

    db's ``filter()`` and ``order()`` change the query and return it (and a
    GQL query's ``bind()`` changes its parameters); ndb's return a new query,
    so the statement above silently does nothing after a
    naive migration (chromium-dashboard PR #1410). Only statements whose
    receiver is known to be a query change. A discarded mutation of an
    expression that cannot be assigned gets a TODO. A query that came in as
    a function parameter has an unknown type and is left alone: review
    helpers that narrow their caller's query (they must now return it).
    """

    TODOS = (
        "A discarded `filter()` / `order()` on an expression that cannot be assigned (`get_query().filter(...)`): "
        "keep the new query in a variable.",
    )
    ID = "DB009"
    TITLE = "discarded q.filter(...)/q.order(...) statements become reassignments"

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr):
        call = original_node.value
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return updated_node
        if call.func.attr.value not in _MUTATORS:
            return updated_node
        root = call
        while isinstance(root, cst.Call) and isinstance(root.func, cst.Attribute) and root.func.attr.value in _MUTATORS:
            root = root.func.value
        if not isinstance(self.types.type_of(root), QueryT):
            return updated_node
        if not isinstance(root, (cst.Name, cst.Attribute)) or not _assignable(root):
            self.todo(f"`{short(original_node)}`: the new query is discarded (ndb queries are immutable); assign it.")
            return updated_node
        if isinstance(root, cst.Name) and self._is_parameter(root):
            self.todo(
                f"`{short(original_node)}`: legacy filter() changed the caller's query; ndb returns a new one, "
                "so return it to the caller."
            )
        target = _target_of(updated_node.value)
        if target is None:
            return updated_node
        self.converted()
        return cst.Assign(targets=[cst.AssignTarget(target=target)], value=updated_node.value,
                          semicolon=updated_node.semicolon)

    def _is_parameter(self, name: cst.Name) -> bool:
        scope = self.types.scopes.get(name)
        if scope is None or name.value not in scope:
            return False
        return any(isinstance(a, Assignment) and isinstance(a.node, cst.Param) for a in scope[name.value])


def _assignable(node) -> bool:
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def _target_of(call: cst.BaseExpression):
    """The receiver at the root of the (updated) mutator chain."""
    node = call
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in _MUTATORS | {"query"}:
        if node.func.attr.value == "query":
            return None
        node = node.func.value
    if isinstance(node, (cst.Name, cst.Attribute)):
        return node.with_changes(lpar=[], rpar=[])
    return None
