"""DB010: GQL queries."""

from __future__ import annotations

import libcst as cst

from codemods.framework.rule import Rule


class GqlRule(Rule):
    """DB010 GQL: ``db.GqlQuery(s, *args, **kw)`` becomes ``ndb.gql(s, *args, **kw)``.

        q = db.GqlQuery("SELECT * FROM Post WHERE author = :1", u)
                                     q = ndb.gql("SELECT * FROM Post WHERE author = :1", u)
        Post.gql("WHERE author = :1", u)          (unchanged: ndb has Model.gql)

    ``ndb.gql`` binds ``:1`` / ``:name`` parameters and handles
    ``ORDER BY ... DESC``; some GQL functions raise NotImplementedError in
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
            return updated_node.with_changes(func=self.ndb("gql"))
        return updated_node
