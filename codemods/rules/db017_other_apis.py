"""DB017: the other App Engine APIs the shim serves (users, namespace_manager)."""

from __future__ import annotations

import libcst as cst

from codemods.framework.options import TARGET_COMPAT, TARGET_NDB
from codemods.framework.rule import Rule
from codemods.rules._common import method
from codemods.rules._import_rewriter import classify_import_from, merge_targets, rebuild

_MODULES = {
    "google.appengine.api.users": "compat.users",
    "google.appengine.api.namespace_manager": "compat.namespace_manager",
}


class OtherApisRule(Rule):
    """DB017 users and namespaces: the legacy modules move to the shim's.

        from google.appengine.api import users               from compat import users
        from google.appengine.api import namespace_manager   from compat import namespace_manager

    Both targets: ``compat.users`` keeps the ``User`` value type and
    ``get_current_user()`` (read from the request environment),
    ``compat.namespace_manager`` the per-request namespace. With ``--to ndb``:

        u = users.User('a@example.com')          u = ndb_legacy.User('a@example.com')
        ns = namespace_manager.get_namespace()   ns = ndb.get_context().get_namespace()

    ndb's ``UserProperty`` takes ``ndb.User`` values only (``ndb_legacy.User``
    is one that takes the auth domain from the environment, as legacy did,
    where ``ndb.User`` requires ``_auth_domain=``), and ndb reads the
    namespace from its context, so ``namespace_manager.set_namespace(...)``
    has no effect on ndb code (TODO: open the context with
    ``client.context(namespace=...)``), and a ``get_current_user()`` result
    is a ``compat.users.User`` (TODO where it may reach a UserProperty).
    """

    ID = "DB017"
    TITLE = "users / namespace_manager -> compat.users / compat.namespace_manager (ndb: ndb.User, context namespace)"
    TARGETS = frozenset({TARGET_NDB, TARGET_COMPAT})
    HANDLES = frozenset()
    TODOS = (
        "`namespace_manager.set_namespace(ns)` with `--to ndb`: ndb takes the namespace from its context; "
        "open it with `client.context(namespace=ns)` (per request), or pass `namespace=` to keys and queries.",
        "`users.get_current_user()` with `--to ndb`: it returns a `compat.users.User`; an ndb.UserProperty needs "
        "`ndb.User(email=u.email(), _user_id=u.user_id())`.",
    )

    def leave_SimpleStatementLine(self, original_node, updated_node):
        if len(updated_node.body) != 1 or not isinstance(updated_node.body[0], cst.ImportFrom):
            return updated_node
        statement = updated_node.body[0]
        legacy, others = classify_import_from(statement, _MODULES)
        if not legacy:
            return updated_node
        self.converted(len(legacy))
        return rebuild(updated_node, statement, others, merge_targets([(m, n, b) for _, m, n, b in legacy]))

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        if self.options.target != TARGET_NDB or not isinstance(original_node.func, (cst.Name, cst.Attribute)):
            return updated_node
        names = self.types.legacy_names(original_node.func)
        if "users.User" in names:
            self.converted()
            return updated_node.with_changes(func=self.helper("User"))
        if "namespace_manager.get_namespace" in names and not original_node.args:
            self.converted()
            return method(cst.Call(func=self.ndb("get_context")), "get_namespace")
        if "namespace_manager.set_namespace" in names:
            self.todo(
                "ndb takes the namespace from its context: open it with `client.context(namespace=...)` per "
                "request (this call only changes compat's namespace)."
            )
        elif "users.get_current_user" in names:
            self.todo(
                "get_current_user() returns a compat.users.User; an ndb.UserProperty needs "
                "`ndb.User(email=u.email(), _user_id=u.user_id())`."
            )
        return updated_node
