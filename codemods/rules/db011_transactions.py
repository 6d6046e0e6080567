"""DB011: transactions."""

from __future__ import annotations

from typing import List, Optional

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from codemods.framework.rule import Rule
from codemods.rules._common import arg, call, is_simple, short

_RUNNERS = {"db.run_in_transaction", "db.RunInTransaction", "db.run_in_transaction_custom_retries",
            "db.RunInTransactionCustomRetries", "db.run_in_transaction_options",
            "db.run_in_read_only_transaction", "db.run_in_read_only_transaction_options"}
_OPTION_KEYWORDS = {"xg": "xg", "retries": "retries", "read_only": "read_only"}
#: runners used as values -> the runtime helper's function of the same signature
_RUNNER_VALUES = {
    "db.run_in_transaction": "run_in_transaction", "db.RunInTransaction": "run_in_transaction",
    "db.run_in_transaction_custom_retries": "run_in_transaction_custom_retries",
    "db.RunInTransactionCustomRetries": "run_in_transaction_custom_retries",
    "db.run_in_transaction_options": "run_in_transaction_options",
}


class TransactionsRule(Rule):
    """DB011 transactions: run_in_transaction and friends, decorators, is_in_transaction.

        db.run_in_transaction(f, a, b=1)                 ndb_legacy.transaction(lambda: f(a, b=1))
        db.run_in_transaction_custom_retries(5, f, a)    ndb_legacy.transaction(lambda: f(a), retries=5)
        db.run_in_transaction_options(
            db.create_transaction_options(xg=True), f)   ndb_legacy.transaction(f, xg=True)
        opts = db.create_transaction_options(retries=2)  opts = dict(retries=2)
        db.run_in_transaction_options(opts, f)           ndb_legacy.transaction(f, **opts)
        call_later(db.run_in_transaction, f, a)          call_later(ndb_legacy.run_in_transaction, f, a)
        call_later(db.run_in_transaction_options, opts, f)
                                                         call_later(ndb_legacy.run_in_transaction_options, opts, f)
        @db.transactional                                @ndb.transactional()
        @db.transactional(xg=True)                       @ndb.transactional(xg=True)
        @db.non_transactional                            @ndb.non_transactional()
        db.is_in_transaction()                           ndb.in_transaction()

    ``ndb_legacy.transaction`` is ``ndb.transaction`` with legacy's two
    differences: a ``Rollback`` raised by the function rolls back and
    returns None (ndb re-raises it), and a transaction inside a transaction
    raises BadRequestError ("Nested transactions are not supported", ndb:
    NotImplementedError). A bare ``@ndb.transactional`` raises TypeError when the function is
    called, hence the parentheses. Arguments that are not plain names or
    literals are bound with ``functools.partial`` so they are evaluated once,
    as db did. ``xg`` is accepted and ignored by ndb; ``propagation`` raises in
    ndb and gets a TODO, as do options with keywords ndb lacks.
    """

    TODOS = (
        "`propagation=` (decorator or options): ndb raises for it and refuses nested transactions; restructure.",
        "A transaction runner whose callback or options could not be read (starred arguments, options with "
        "unknown keywords): `ndb.transaction(callback, retries=..., xg=..., read_only=...)`.",
    )
    ID = "DB011"
    TITLE = "run_in_transaction*/options/custom retries, @transactional(), is_in_transaction"
    HANDLES = frozenset(_RUNNERS | {"db.transactional", "db.non_transactional", "db.is_in_transaction",
                                    "db.create_transaction_options"})

    def visit_Module(self, node: cst.Module) -> None:
        self._callees: set = set()

    def leave_Decorator(self, original_node: cst.Decorator, updated_node: cst.Decorator):
        node = original_node.decorator
        func = node.func if isinstance(node, cst.Call) else node
        names = self.types.legacy_names(func) if isinstance(func, (cst.Name, cst.Attribute)) else set()
        target = "transactional" if "db.transactional" in names else "non_transactional" if "db.non_transactional" in names else None
        if target is None:
            return updated_node
        args = list(cst.ensure_type(updated_node.decorator, cst.Call).args) if isinstance(node, cst.Call) else []
        if any(a.keyword is not None and a.keyword.value == "propagation" for a in args):
            self.todo("`propagation=` raises in ndb; nested transactions are refused. Restructure the call.")
            return updated_node.with_changes(decorator=original_node.decorator)
        self.converted()
        return updated_node.with_changes(decorator=call(self.ndb(target), args))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        func = original_node.func
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return updated_node
        names = self.types.legacy_names(func)
        if names & {"db.create_transaction_options", "db.create_config"}:
            extracted = self._options(original_node)
            if extracted is None:
                return self._todo(original_node, updated_node)
            self.converted()
            return call(cst.Name("dict"), extracted)
        if "db.is_in_transaction" in names:
            self.converted()
            return call(self.ndb("in_transaction"), updated_node.args)
        hit = names & _RUNNERS
        if not hit:
            return updated_node
        name = next(iter(hit))
        args = list(updated_node.args)
        if any(a.star for a in args[:2]):
            return self._todo(original_node, updated_node)
        options: List[cst.Arg] = []
        if name in ("db.run_in_transaction_custom_retries", "db.RunInTransactionCustomRetries"):
            if len(args) < 2 or args[0].keyword is not None:
                return self._todo(original_node, updated_node)
            options.append(arg(args[0].value, "retries"))
            args = args[1:]
        elif name in ("db.run_in_transaction_options", "db.run_in_read_only_transaction_options"):
            if len(args) < 2 or args[0].keyword is not None:
                return self._todo(original_node, updated_node)
            extracted = self._options(original_node.args[0].value)
            if extracted is not None:
                options.extend(extracted)
            else:  # an options variable: create_transaction_options() became a dict
                options.append(cst.Arg(value=args[0].value, star="**"))
            args = args[1:]
        if name.startswith("db.run_in_read_only"):
            options.append(arg(cst.Name("True"), "read_only"))
        if not args or args[0].keyword is not None:
            return self._todo(original_node, updated_node)
        callback = self._callback(args[0].value, args[1:])
        self.converted()
        return call(self.helper("transaction"), [arg(callback), *options])

    # -- runners used as values (passed to a helper, stored) --------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self._callees.add(id(node.func))

    def leave_Attribute(self, original_node, updated_node):
        return self._as_value(original_node, updated_node)

    def leave_Name(self, original_node, updated_node):
        return self._as_value(original_node, updated_node)

    def _as_value(self, original_node, updated_node):
        if id(original_node) in self._callees:
            return updated_node
        names = self.types.legacy_names(original_node)
        for name, helper in _RUNNER_VALUES.items():
            if name in names:
                self.converted()
                return self.helper(helper)
        if "db.is_in_transaction" in names:
            self.converted()
            return self.ndb("in_transaction")
        return updated_node

    def _callback(self, func: cst.BaseExpression, rest: List[cst.Arg]) -> cst.BaseExpression:
        if not rest:
            return func
        if all(is_simple(a.value) and not a.star for a in rest):
            return cst.Lambda(params=cst.Parameters(), body=call(func, rest))
        AddImportsVisitor.add_needed_import(self.context, "functools")
        return call(cst.parse_expression("functools.partial"), [arg(func), *rest])

    def _options(self, node: cst.BaseExpression) -> Optional[List[cst.Arg]]:
        """Keywords of an inline ``db.create_transaction_options(...)`` call, else None."""
        if not isinstance(node, cst.Call) or not isinstance(node.func, (cst.Name, cst.Attribute)):
            return None
        if not self.types.legacy_names(node.func) & {"db.create_transaction_options", "db.create_config"}:
            return None
        out = []
        for item in node.args:
            if item.keyword is None or item.keyword.value not in _OPTION_KEYWORDS:
                return None
            out.append(arg(item.value, _OPTION_KEYWORDS[item.keyword.value]))
        return out

    def _todo(self, original: cst.Call, updated: cst.Call):
        self.todo(f"`{short(original)}`: use ndb.transaction(callback, retries=..., xg=..., read_only=...).")
        return updated.with_changes(func=original.func)
