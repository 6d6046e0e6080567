"""DB008's cursor pattern: ``with_cursor`` / ``fetch`` / ``cursor()`` in one block -> ``fetch_page``.

Recognised, in the statements of one block, for a known query ``q``::

    [if TEST:] q.with_cursor(X)       (optional; or with_cursor(start_cursor=X))
    ...                               (statements that do not use q, or q = q.filter/order(...))
    items = q.fetch(N)
    ...                               (statements that do not use q)
    c = q.cursor()                    (optional; or q.cursor() anywhere in the assigned value,
                                       e.g. ``q.cursor() if len(items) == N else None``)

becomes::

    items, items_cursor, items_more = q.fetch_page(N, start_cursor=ndb.Cursor(urlsafe=X) if TEST else None)
    c = ndb_legacy.websafe_cursor(items_cursor)

(``q.fetch(N, start_cursor=...)`` when there is no ``cursor()`` call.)

Also recognised: a ``for`` loop over a known query ``q`` (``for e in q``,
``for e in q.run(...)``) and ``q.cursor()`` calls in its body or in the
statements after it (until ``q`` is run or assigned again)::

    for e in q.run(limit=2): ...              q_iter = q.iter(limit=2, produce_cursors=True)
    c = q.cursor()                            for e in q_iter: ...
                                              c = ndb_legacy.cursor_after(q_iter)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Sequence

import libcst as cst

from codemods.analysis.types import QueryT
from codemods.rules._common import is_simple


@dataclass
class CursorPlan:
    """The statements of one recognised pattern (original nodes) and what they become."""

    query: str
    items: str
    limit: cst.BaseExpression
    start: Optional[cst.BaseExpression] = None  # the cursor string X
    test: Optional[cst.BaseExpression] = None  # the `if` condition around with_cursor
    start_statement: Optional[cst.CSTNode] = None
    fetch_statement: Optional[cst.CSTNode] = None
    cursor_statement: Optional[cst.CSTNode] = None
    cursor_call: Optional[cst.Call] = None  # the q.cursor() call (original node)
    keys_only: bool = False

    @property
    def cursor_name(self) -> str:
        return f"{self.items}_cursor"

    @property
    def more_name(self) -> str:
        return f"{self.items}_more"


@dataclass
class LoopCursorPlan:
    """A ``for`` loop over a query whose cursor is read afterwards (original nodes)."""

    query: str
    loop: cst.For

    @property
    def results_name(self) -> str:
        return f"{self.query}_iter"


def plan_loops(body: Sequence[cst.CSTNode], types, plans: Dict[int, LoopCursorPlan]) -> None:
    """Find ``for e in q[.run(...)]`` followed by ``q.cursor()``; record the plan for the loop and each call."""
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.For):
            continue
        query = _looped_query(statement.iter, types)
        if query is None:
            continue
        calls = []
        for later in [statement.body, *body[index + 1:]]:
            finder = _CursorCallFinder(query)
            later.visit(finder)
            calls.extend(finder.calls)
            if later is not statement.body and (finder.uses > len(finder.calls) or _assigns(later, query)):
                break  # q runs again (or is another query): later cursors are not this loop's
        if not calls:
            continue
        plan = LoopCursorPlan(query=query, loop=statement)
        plans[id(statement)] = plan
        for found in calls:
            plans[id(found)] = plan


def _looped_query(iterated: cst.BaseExpression, types) -> Optional[str]:
    """``q`` for ``q`` / ``q.run(...)`` where ``q`` is a Name known to be a query."""
    node = iterated
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "run":
        node = node.func.value
    if isinstance(node, cst.Name) and isinstance(types.type_of(node), QueryT):
        return node.value
    return None


def _assigns(statement, name: str) -> bool:
    finder = _TargetFinder(name)
    statement.visit(finder)
    return finder.found


class _TargetFinder(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found = False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        finder = _NameFinder(self.name)
        node.target.visit(finder)
        self.found = self.found or finder.found


def plan_block(body: Sequence[cst.CSTNode], types, plans: Dict[int, CursorPlan]) -> None:
    """Find the pattern in one block's statements; record a plan for each of its statements."""
    for index, statement in enumerate(body):
        fetch = _fetch(statement, types)
        if fetch is None:
            continue
        items, query, limit, keys_only = fetch
        plan = CursorPlan(query=query, items=items, limit=limit, fetch_statement=statement, keys_only=keys_only)
        for earlier in reversed(body[:index]):
            found = _with_cursor(earlier, query)
            if found is not None:
                plan.start, plan.test = found
                plan.start_statement = earlier
                break
            if _uses(earlier, query) and not _refines(earlier, query):
                break
        for later in body[index + 1:]:
            found = _cursor_call(later, query)
            if found is not None:
                plan.cursor_statement = later
                plan.cursor_call = found
                break
            if _uses(later, query):
                break
        if plan.start_statement is None and plan.cursor_statement is None:
            continue
        for node in (plan.start_statement, plan.fetch_statement, plan.cursor_statement):
            if node is not None:
                plans[id(node)] = plan


def start_cursor(plan: CursorPlan, ndb_cursor: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """``ndb.Cursor(urlsafe=X) if TEST else None`` (or unconditional when X is not simple)."""
    if plan.start is None:
        return None
    cursor = cst.Call(func=ndb_cursor, args=[cst.Arg(keyword=cst.Name("urlsafe"), value=plan.start,
                                                    equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))])
    test = plan.test if plan.test is not None else (plan.start if is_simple(plan.start) else None)
    if test is None:
        return cursor
    return cst.IfExp(test=test, body=cursor, orelse=cst.Name("None"))


# -- matching ---------------------------------------------------------------------------
def _single(statement) -> Optional[cst.BaseSmallStatement]:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement.body[0]
    return None


def _fetch(statement, types):
    small = _single(statement)
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    call = small.value
    if not isinstance(target, cst.Name) or not isinstance(call, cst.Call):
        return None
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value != "fetch" or not isinstance(func.value, cst.Name):
        return None
    query_type = types.type_of(func.value)
    if not isinstance(query_type, QueryT):
        return None
    if len(call.args) != 1:
        return None
    arg = call.args[0]
    if arg.star or (arg.keyword is not None and arg.keyword.value != "limit"):
        return None
    return target.value, func.value.value, arg.value, query_type.keys_only


def _with_cursor(statement, query: str):
    test = None
    if isinstance(statement, cst.If) and statement.orelse is None and isinstance(statement.body, cst.IndentedBlock):
        if len(statement.body.body) != 1:
            return None
        test = statement.test
        statement = statement.body.body[0]
    small = _single(statement)
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return None
    call = small.value
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "with_cursor"
            and isinstance(func.value, cst.Name) and func.value.value == query):
        return None
    if len(call.args) != 1 or call.args[0].star:
        return None
    arg = call.args[0]
    if arg.keyword is not None and arg.keyword.value != "start_cursor":
        return None
    return arg.value, test


def cursor_value(plan: CursorPlan, helper) -> cst.BaseExpression:
    """What replaces ``q.cursor()``: ``ndb_legacy.websafe_cursor(items_cursor)``.

    ndb's ``urlsafe()`` is the same URL-safe base64 (with padding) of the
    same Cloud Datastore cursor bytes the legacy SDK's ``cursor()`` gives
    on Python 3 (and the shim's); the helper hands it on as bytes that
    format as their text (``'/?cursor=%s' % c``), as Python 2's str did,
    and None where fetch_page gave no cursor. ``helper`` is the rule's
    :meth:`~codemods.framework.rule.Rule.helper`.
    """
    return cst.Call(func=helper("websafe_cursor"), args=[cst.Arg(cst.Name(plan.cursor_name))])


def _cursor_call(statement, query: str):
    """The one ``q.cursor()`` call in ``x = <... q.cursor() ...>`` or ``return ...``, else None."""
    small = _single(statement)
    if isinstance(small, cst.Return) and small.value is not None:
        value = small.value  # return items, q.cursor()
    elif isinstance(small, cst.Assign) and len(small.targets) == 1 and not _uses(small.targets[0], query):
        value = small.value
    else:
        return None
    finder = _CursorCallFinder(query)
    value.visit(finder)
    if len(finder.calls) != 1 or finder.uses != 1:
        return None
    return finder.calls[0]


class _CursorCallFinder(cst.CSTVisitor):
    """``q.cursor()`` calls and all uses of the name ``q`` in an expression."""

    def __init__(self, query: str) -> None:
        super().__init__()
        self.query = query
        self.calls: list = []
        self.uses = 0

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (not node.args and isinstance(func, cst.Attribute) and func.attr.value == "cursor"
                and isinstance(func.value, cst.Name) and func.value.value == self.query):
            self.calls.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.query:
            self.uses += 1


def _refines(statement, query: str) -> bool:
    """``q = q.filter(...)`` / ``q.filter(...)``: allowed between with_cursor and fetch."""
    small = _single(statement)
    value = small.value if isinstance(small, (cst.Assign, cst.Expr)) else None
    if isinstance(small, cst.Assign):
        targets = small.targets
        if len(targets) != 1 or not (isinstance(targets[0].target, cst.Name) and targets[0].target.value == query):
            return False
    node = value
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in ("filter", "order"):
        node = node.func.value
    return isinstance(node, cst.Name) and node.value == query and node is not value


class _NameFinder(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.found = True


def _uses(statement, name: str) -> bool:
    finder = _NameFinder(name)
    statement.visit(finder)
    return finder.found
