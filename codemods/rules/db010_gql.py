"""DB010: GQL queries."""

from __future__ import annotations

import libcst as cst

from codemods.framework.rule import Rule
from codemods.rules.db008_queries import entity_keys


class GqlRule(Rule):
    """DB010 GQL: ``db.GqlQuery(s, *args, **kw)`` becomes ``ndb.gql(s, *args, **kw)``.

        q = db.GqlQuery("SELECT * FROM Post WHERE author = :1", u)
                                     q = ndb.gql("SELECT * FROM Post WHERE author = :1", u)
        Post.gql("WHERE author = :1", u)          (unchanged: ndb has Model.gql)
        Post.gql("WHERE author = :1", author)     Post.gql("WHERE author = :1", author.key)

    ``ndb.gql`` binds ``:1`` / ``:name`` parameters and handles
    ``ORDER BY ... DESC``. An entity bound to a parameter (also in a list)
    becomes its key, as db bound it (ndb raises BadValueError for an
    entity). Some GQL functions raise NotImplementedError in
    Cloud NDB. Subclasses of ``db.GqlQuery`` get a TODO: ndb's ``gql`` is a
    function returning a Query, there is no class to extend.
    """

    TODOS = ("A subclass of `db.GqlQuery`: wrap `ndb.gql(...)` (composition) instead of subclassing.",)
    ID = "DB010"
    TITLE = "db.GqlQuery -> ndb.gql; GqlQuery subclasses flagged"
    HANDLES = frozenset({"db.GqlQuery"})

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            if "db.GqlQuery" in self.types.legacy_names(base.value):
                self.todo(
                    f"class {node.name.value} extends db.GqlQuery; ndb.gql() is a function returning an "
                    "ndb.Query: wrap it (composition) instead of subclassing."
                )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        func = original_node.func
        if isinstance(func, (cst.Name, cst.Attribute)) and "db.GqlQuery" in self.types.legacy_names(func):
            self.converted()
            return self._bind_keys(original_node, updated_node.with_changes(func=self.ndb("gql")), skip=1)
        if isinstance(func, cst.Attribute) and func.attr.value == "gql":
            model = self.types.model_class(func.value)
            if model is not None and model.is_legacy:
                return self._bind_keys(original_node, updated_node, skip=1)
        return updated_node

    def _bind_keys(self, original: cst.Call, updated: cst.Call, skip: int) -> cst.Call:
        """Entities bound to ``:1`` / ``:name``: db bound their keys, ndb refuses them (BadValueError)."""
        out, changed = [], False
        for index, (old, new) in enumerate(zip(original.args, updated.args)):
            if index >= skip and not old.star:
                value = entity_keys(self.types, old.value, new.value)
                if value is not new.value:
                    new, changed = new.with_changes(value=value), True
            out.append(new)
        if changed:
            self.converted()
            return updated.with_changes(args=out)
        return updated
