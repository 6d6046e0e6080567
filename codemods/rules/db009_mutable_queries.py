"""DB009: legacy queries are mutable; ndb's are not."""

from __future__ import annotations

from typing import Optional

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
    expression that cannot be assigned gets a TODO. A helper that narrowed
    its caller's query in place returns the new query, and its callers keep
    it, where every call of it is a statement passing a plain name::

        def only_open(q):                       def only_open(q):
            q.filter('state =', 'open')             q = q.filter(Job.state == 'open')
                                                    return q
        only_open(q2)                           q2 = only_open(q2)

    Otherwise such a helper gets a TODO (it must now return the query).
    """

    TODOS = (
        "A discarded `filter()` / `order()` on an expression that cannot be assigned (`get_query().filter(...)`): "
        "keep the new query in a variable.",
    )
    ID = "DB009"
    TITLE = "discarded q.filter(...)/q.order(...) statements become reassignments"

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef):
        """A helper that narrowed its caller's query returns the new query (its callers keep it)."""
        found = self.types.narrowed_query(original_node)
        if found is None or not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        name = found[0]
        body = cst.ensure_type(updated_node.body.visit(_ReturnQuery(name)), cst.IndentedBlock)
        statements = list(body.body)
        last = statements[-1] if statements else None
        if not (isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Return)):
            statements.append(cst.SimpleStatementLine(body=[cst.Return(value=cst.Name(name))]))
        self.converted()
        return updated_node.with_changes(body=body.with_changes(body=statements))

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr):
        call = original_node.value
        if isinstance(call, cst.Call) and isinstance(call.func, (cst.Name, cst.Attribute)):
            kept = self._keeps_narrowed(call, updated_node)
            if kept is not None:
                return kept
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return updated_node
        if call.func.attr.value not in _MUTATORS:
            return updated_node
        root: cst.BaseExpression = call
        while isinstance(root, cst.Call) and isinstance(root.func, cst.Attribute) and root.func.attr.value in _MUTATORS:
            root = root.func.value
        if not isinstance(self.types.type_of(root), QueryT):
            return updated_node
        if not isinstance(root, (cst.Name, cst.Attribute)) or not _assignable(root):
            self.todo(f"`{short(original_node)}`: the new query is discarded (ndb queries are immutable); assign it.")
            return updated_node
        if isinstance(root, cst.Name) and self._is_parameter(root) and not self._narrows(root):
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

    def _narrows(self, name: cst.Name) -> bool:
        """True if ``name`` is the parameter its function narrows and now returns (leave_FunctionDef)."""
        current = self.types.parents.get(name)
        while current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            current = self.types.parents.get(current)
        found = self.types.narrowed_query(current) if isinstance(current, cst.FunctionDef) else None
        return found is not None and found[0] == name.value

    def _keeps_narrowed(self, call: cst.Call, updated_node: cst.Expr) -> Optional[cst.BaseSmallStatement]:
        """``only_open(q)`` (a helper that narrowed q in place) -> ``q = only_open(q)``."""
        found = self.types.narrowed_query(call.func)
        if found is None:
            return None
        name, position = found
        passed = [a for a in call.args if a.keyword is not None and a.keyword.value == name]
        if not passed and position is not None:
            positional = [a for a in call.args if a.keyword is None and not a.star]
            passed = positional[position:position + 1]
        if not passed or not isinstance(passed[0].value, cst.Name):
            return None
        self.converted()
        return cst.Assign(targets=[cst.AssignTarget(target=cst.Name(passed[0].value.value))], value=updated_node.value,
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


class _ReturnQuery(cst.CSTTransformer):
    """``return`` -> ``return q`` in one function's own body (not in the functions inside it)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        if updated_node.value is not None:
            return updated_node
        return updated_node.with_changes(value=cst.Name(self.name), whitespace_after_return=cst.SimpleWhitespace(" "))
