"""DB010: GQL queries."""

from __future__ import annotations

import libcst as cst

from codemods.framework.rule import Rule
from codemods.rules._common import string_value
from codemods.rules._gql_text import ndb_reads_alike
from codemods.rules.db008_queries import entity_keys


class GqlRule(Rule):
    """DB010 GQL: ``db.GqlQuery(s, *args, **kw)`` becomes ``ndb.gql(s, *args, **kw)``.

        q = db.GqlQuery("SELECT * FROM Post WHERE author = :1", u)
                                     q = ndb.gql("SELECT * FROM Post WHERE author = :1", u)
        Post.gql("WHERE author = :1", u)          (unchanged: ndb has Model.gql)
        Post.gql("WHERE author = :1", author)     Post.gql("WHERE author = :1", author.key)
        db.GqlQuery("SELECT * FROM Post WHERE ANCESTOR IS :1", blog)
                                     ndb_legacy.gql("SELECT * FROM Post WHERE ANCESTOR IS :1", blog.key)
        Post.gql("WHERE tag != :1", t)           ndb_legacy.gql("SELECT * FROM Post WHERE tag != :1", t)
        q = db.GqlQuery(text)        q = ndb_legacy.gql(text)   (a text db2ndb cannot read)
        q.bind(x)                    q = q.bind(x)              (q from ndb_legacy.gql)

    ``ndb.gql`` binds ``:1`` / ``:name`` parameters and handles
    ``ORDER BY ... DESC``. An entity bound to a parameter (also in a list)
    becomes its key, as db bound it (ndb raises BadValueError for an
    entity). Where ndb's GQL builds another query than legacy's -- ``ANCESTOR
    IS`` (ndb drops it), ``!=`` (a NOT_EQUAL filter the emulator refuses),
    ``IN`` without ``ORDER BY`` (legacy merged the results by key, ndb
    returns one value's results after the other's),
    ``KEY('<encoded key>')`` (refused), ``SELECT __key__`` (entities
    returned), a property named like a reserved word (``group``) -- or where
    the text is not a literal, or the query is bound again later
    (``q.bind(...)``, which ndb refuses on a bound query), the query becomes
    ``ndb_legacy.gql(...)``: the same GQL, read as legacy read it, giving an
    ordinary ``ndb.Query``. Some GQL functions raise NotImplementedError in
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
            text = original_node.args[0].value if original_node.args and not original_node.args[0].star else None
            legacy = text is None or not self._ndb_alike(original_node, text, "")
            target = self.helper("gql") if legacy else self.ndb("gql")
            return self._bind_keys(original_node, updated_node.with_changes(func=target), skip=1)
        if isinstance(func, cst.Attribute) and func.attr.value == "gql":
            model = self.types.model_class(func.value)
            if model is not None and model.is_legacy:
                updated_node = self._model_gql(original_node, updated_node, model)
                return self._bind_keys(original_node, updated_node, skip=1)
        return updated_node

    def _model_gql(self, original: cst.Call, updated: cst.Call, model) -> cst.Call:
        """``Model.gql(s, ...)``: kept, or ``ndb_legacy.gql("SELECT * FROM Kind " + s, ...)`` where ndb reads s otherwise."""
        if not original.args or original.args[0].star or original.args[0].keyword is not None:
            return updated
        if model.flavor == "polymodel":
            return updated  # PolyModel.gql adds the class filter (ndb's does too)
        prefix = f"SELECT * FROM {model.kind} "
        if self._ndb_alike(original, original.args[0].value, prefix):
            return updated
        self.converted()
        text = string_value(original.args[0].value)
        query: cst.BaseExpression
        if text is not None:
            query = cst.SimpleString(repr(prefix + text))
        else:
            query = cst.BinaryOperation(left=cst.SimpleString(repr(prefix)), operator=cst.Add(),
                                        right=updated.args[0].value)
        args = [updated.args[0].with_changes(value=query), *updated.args[1:]]
        return updated.with_changes(func=self.helper("gql"), args=args)

    def _ndb_alike(self, call: cst.Call, text_node: cst.BaseExpression, prefix: str) -> bool:
        """True if ``ndb.gql`` builds the query legacy built from this literal text, and it is never bound again."""
        text = string_value(text_node)
        return text is not None and ndb_reads_alike(prefix + text) and not self._bound_again(call)

    def _bound_again(self, call: cst.Call) -> bool:
        """``q = <gql call>`` followed by ``q.bind(...)`` in the same scope."""
        parent = self.types.parents.get(call)
        if not isinstance(parent, cst.Assign) or len(parent.targets) != 1:
            return False
        name = parent.targets[0].target
        if not isinstance(name, cst.Name):
            return False
        scope = self.types.scopes.get(name)
        if scope is None or name.value not in scope:
            return False
        for assignment in scope[name.value]:
            for access in getattr(assignment, "references", ()):
                holder = self.types.parents.get(access.node)
                if isinstance(holder, cst.Attribute) and holder.attr.value == "bind" and holder.value is access.node:
                    return True
        return False

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
