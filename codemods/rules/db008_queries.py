"""DB008: queries: all(), db.Query, string filters and orders, ancestor, count, fetch, run, cursors."""

from __future__ import annotations

import re
from typing import Dict, Optional

import libcst as cst
from libcst.metadata import Assignment

from codemods.analysis.inference import model_reference
from codemods.analysis.types import EntityT, ListT, QueryT
from codemods.framework.rule import Rule
from codemods.rules._common import (
    arg, as_keyword, attr, call, fix_commas, is_simple, method, method_of, never_put, recall, short, string_value,
)
from codemods.rules._cursors import CursorPlan, LoopCursorPlan, cursor_value, plan_block, plan_loops, start_cursor

_FILTER = re.compile(r"^\s*([^\s<>=!]+)\s*(<=|>=|==|!=|=|<|>|in)?\s*$", re.IGNORECASE)
_OPERATORS = {"=": cst.Equal, "==": cst.Equal, "!=": cst.NotEqual, "<": cst.LessThan,
              "<=": cst.LessThanEqual, ">": cst.GreaterThan, ">=": cst.GreaterThanEqual}
_QUERY_OPTIONS = {"keys_only", "projection", "namespace", "cursor", "distinct"}


class QueriesRule(Rule):
    """DB008 queries: string filters become property comparisons on the right model.

        Post.all()                               Post.query()
        keys = Post.all(keys_only=True)          keys = Post.query()
        for k in keys: ...                       for k in keys.iter(keys_only=True): ...
        Post.all(keys_only=True).fetch(5)        Post.query().fetch(5, keys_only=True)
        db.Query(Post)                           Post.query()
        q.filter('author =', u)                  q.filter(Post.author == u)
        q.filter('tags IN', ['a', 'b'])          q.filter(Post.tags.IN(['a', 'b']))
        q.filter('__key__ >', k)                 q.filter(Post.key > k)
        q.order('-created')                      q.order(-Post.created)
        Post.all().ancestor(blog)                Post.query(ancestor=blog.key)
        Post.all().ancestor(Blog(title=t))       Post.query(ancestor=ndb_legacy.key_of(Blog(title=t)))
        q.count()                                q.count(limit=1000)
        q.fetch(10, 20)                          q.fetch(10, offset=20)
        q.run(limit=5)                           q.iter(limit=5)
        q.fetch(0) / q.run(limit=0) / q.count(0) [] / iter([]) / 0

        if cursor:
            q.with_cursor(cursor)
        posts = q.fetch(20)                      posts, posts_cursor, posts_more = q.fetch_page(
        next_cursor = q.cursor()                     20, start_cursor=ndb.Cursor(urlsafe=cursor) if cursor else None)
                                                 next_cursor = ndb_legacy.websafe_cursor(posts_cursor)
        more = q.cursor() if len(posts) == 20 else None
                                                 more = ndb_legacy.websafe_cursor(posts_cursor) if len(posts) == 20 else None
        for e in q.with_cursor(c): ...           for e in q.iter(start_cursor=ndb.Cursor(urlsafe=c) if c else None): ...
        q.with_cursor(c).fetch(n)                q.fetch(n, start_cursor=ndb.Cursor(urlsafe=c) if c else None)
        q.filter('tags =', entity)               q.filter(Post.tags == entity.key)
        q.filter('n !=', 3).order('n')           q.filter(ndb_legacy.not_equal(Post.n, 3)).order(Post.n)
        q.filter('n !=', 3)                      ndb_legacy.merged_by_key(q).filter(ndb_legacy.not_equal(Post.n, 3))
        q.fetch(0), q.count(0)                   [], 0

    The model is resolved across files (the query's model class may be
    defined in another module, reached through imports or ``import *``), and
    filter strings name *stored* property names, so ``name=`` overrides map
    back to the right attribute. Filters on Expando properties the model does
    not declare (and filters on names any model does not declare, which db
    ran against the datastore) become ``ndb.GenericProperty('name')``. ``count()`` keeps
    legacy's default limit of 1000 (ndb's is unlimited). Filter strings built
    at run time (``'%s =' % field``), queries whose model cannot be resolved
    and ``ancestor()`` on a query that is already built get a TODO. Cursors:
    the usual block ``[if c:] q.with_cursor(c)`` / ``x = q.fetch(n)`` /
    ``c2 = q.cursor()`` (or ``q.cursor()`` anywhere in the value assigned
    there, or a ``return`` of it) becomes ``fetch_page`` with an
    ``ndb.Cursor``; ``with_cursor(c)`` iterated by a ``for`` loop or chained
    into ``fetch()`` starts there; other cursor uses (``q.cursor()`` after a
    loop) get a TODO. An entity given as a filter value or an ancestor becomes its key (db
    did that, ndb raises BadValueError); an entity made right there without a
    key name is ``ndb_legacy.key_of(...)``, NotSavedError as in db (ndb's
    ``ancestor=None`` would be no ancestor at all); ``!=`` runs as db ran it,
    ``< OR >`` (``ndb_legacy.not_equal``: the emulator refuses ndb's native
    ``!=``, and on list properties it means something else); a query chain
    with an ``IN`` / ``!=`` filter and no ``order()`` starts from
    ``ndb_legacy.merged_by_key(...)``, whose results come merged by key as
    db's MultiQuery gave them (ndb returns one sub-query's results after the
    other); a literal
    limit of 0 gives nothing, as in db (ndb reads 0 as no limit). The page's cursor string is the same as the shim's: both are
    the URL-safe base64 of the Cloud Datastore cursor after the last result,
    so "next page" links keep working across the switch. A cursor string
    saved by legacy App Engine itself does not resume an ndb query (nor a
    shim one). ndb's
    ``order()`` (2.7.1) also extends the order of the query it is called on,
    which matches db's mutable queries after the DB009 reassignment.
    """

    TODOS = (
        "A keys-only query used somewhere db2ndb cannot follow (returned, passed on): ndb applies keys_only "
        "only where the query runs; `keys_only=True` stays on the query (ndb raises TypeError) until you move "
        "it to the fetch()/get()/iter() calls.",
        "`cursor=` passed to a legacy query constructor: pass `start_cursor=ndb.Cursor(urlsafe=...)` to the fetch.",
        "A filter string built at run time (`'%s =' % field`): write `Model.prop <op> value`; ndb rejects strings.",
        "A filter on a query whose model cannot be resolved (a query from a parameter, GqlQuery): write the "
        "comparison by hand."
        "`q.ancestor(k)` on a query that is already built: ndb takes the ancestor when the query is created, "
        "`Model.query(ancestor=k)`.",
        "Cursors outside the recognised `with_cursor` / `fetch` / `cursor()` pattern: "
        "`results, cursor, more = q.fetch_page(n, start_cursor=ndb.Cursor(urlsafe=s))`, then `cursor.urlsafe()`; "
        "`q.cursor()` of a query with an `IN` / `!=` filter is `ndb_legacy.cursor_after(q)` (AssertionError, as db).",
    )
    ID = "DB008"
    TITLE = "queries: all()/db.Query, string filters and orders, ancestor, count limit, fetch, run, cursors"
    HANDLES = frozenset({"db.Query"})

    # -- the cursor pattern (see codemods.rules._cursors) ----------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._cursor_plans: Dict[int, CursorPlan] = {}
        self._loop_plans: Dict[int, LoopCursorPlan] = {}
        self._plan(node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._plan(node.body)

    def _plan(self, body) -> None:
        plans: Dict[int, CursorPlan] = {}
        plan_block(body, self.types, plans)
        for key, plan in plans.items():
            # no fetch_page for an IN / != query whose cursor() is read: db raised AssertionError there
            # (a MultiQuery has no cursor), and ndb refuses cursors of OR queries at the fetch already
            if plan.cursor_call is None or not self._multi_query(method_of(plan.cursor_call).value):
                self._cursor_plans[key] = plan
        plan_loops(body, self.types, self._loop_plans)

    def leave_If(self, original_node: cst.If, updated_node):
        plan = self._cursor_plans.get(id(original_node))
        if plan is not None and plan.start_statement is original_node:
            return cst.RemoveFromParent()
        return updated_node

    def leave_SimpleStatementLine(self, original_node, updated_node):
        plan = self._cursor_plans.get(id(original_node))
        if plan is None:
            return updated_node
        if plan.start_statement is original_node:
            return cst.RemoveFromParent()
        if plan.cursor_statement is original_node:
            return updated_node  # its q.cursor() call was replaced in _q_cursor
        # the fetch
        small = updated_node.body[0]
        call = small.value
        receiver = call.func.value if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) else cst.Name(plan.query)
        args = [arg(call.args[0].value if isinstance(call, cst.Call) and call.args else plan.limit)]
        start = start_cursor(plan, self.ndb("Cursor"))
        if start is not None:
            args.append(arg(start, "start_cursor"))
        if plan.keys_only:
            args.append(arg(cst.Name("True"), "keys_only"))
        self.converted()
        if plan.cursor_statement is None:
            return updated_node.with_changes(body=[small.with_changes(value=method(receiver, "fetch", args))])
        targets = cst.Tuple(elements=[cst.Element(cst.Name(plan.items)), cst.Element(cst.Name(plan.cursor_name)),
                                      cst.Element(cst.Name(plan.more_name))], lpar=[], rpar=[])
        return updated_node.with_changes(body=[cst.Assign(targets=[cst.AssignTarget(targets)],
                                                          value=method(receiver, "fetch_page", args))])

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        func = original_node.func
        if original_node.args and _iterates(original_node, original_node.args[0]):
            found = self.types.type_of(original_node.args[0].value)
            if isinstance(found, QueryT) and found.keys_only and not self._runs_explicitly(original_node.args[0].value):
                self.converted()  # sorted(keys_only_query): ndb applies keys_only where the query runs
                first = updated_node.args[0]
                iterated = method(first.value, "iter", [arg(cst.Name("True"), "keys_only")])
                return updated_node.with_changes(args=[first.with_changes(value=iterated), *updated_node.args[1:]])
        if isinstance(func, (cst.Name, cst.Attribute)) and "db.Query" in self.types.legacy_names(func):
            return self._db_query(original_node, updated_node)
        if not isinstance(func, cst.Attribute) or not isinstance(updated_node.func, cst.Attribute):
            return updated_node
        name = func.attr.value
        receiver_model = self.types.model_class(func.value)
        if receiver_model is not None and receiver_model.is_legacy and name == "all":
            self.converted()
            return updated_node.with_changes(func=attr(updated_node.func.value, "query"),
                                             args=self._options(updated_node.args, original_node))
        receiver_type = self.types.type_of(func.value)
        if not isinstance(receiver_type, QueryT):
            return updated_node
        handler = getattr(self, f"_q_{name}", None)
        if handler is None:
            return updated_node
        return handler(receiver_type, original_node, updated_node)

    # -- query constructors ---------------------------------------------------------
    def _options(self, args, original: Optional[cst.Call] = None):
        """Legacy query options as ``Model.query()`` / ``ndb.Query()`` arguments.

        ``keys_only`` is an execution option in ndb (``Model.query()`` refuses
        it and a query's own ``keys_only`` is not applied when it runs): it is
        dropped here and added to every place the query runs (``fetch``,
        ``get``, ``iter``, ``fetch_page``, ``for`` loops), when all of them are
        known; otherwise it stays (ndb raises TypeError) with a TODO.
        ``projection``, ``distinct`` and ``namespace`` keep their names.
        """
        out = []
        for item in args:
            key = item.keyword.value if item.keyword is not None else None
            if key == "keys_only" and original is not None:
                if isinstance(item.value, cst.Name) and item.value.value == "False":
                    continue
                if isinstance(item.value, cst.Name) and item.value.value == "True" and self._runs_are_known(original):
                    continue
                self.todo(
                    "keys_only: ndb applies it only where the query runs; pass keys_only=True to its "
                    "fetch()/get()/iter()/fetch_page() calls and drop it here."
                )
                out.append(item)
                continue
            if key == "cursor":
                self.todo("`cursor=` of a legacy query: pass `start_cursor=ndb.Cursor(urlsafe=...)` to fetch/fetch_page.")
            out.append(item)
        return out

    def _db_query(self, original: cst.Call, updated: cst.Call):
        args = list(updated.args)
        if not args or args[0].keyword is not None:
            model_arg = next((a for a in args if a.keyword and a.keyword.value == "model_class"), None)
            if model_arg is None:
                self.converted()
                return recall(updated, self.ndb("Query"), self._options(args, original))
            rest = [a for a in args if a is not model_arg]
        else:
            model_arg, rest = args[0], args[1:]
        self.converted()
        return recall(updated, attr(model_arg.value, "query"), self._options(rest, original))

    # -- query methods -------------------------------------------------------------------
    def _model_ref(self, query: QueryT, original: cst.Call) -> Optional[str]:
        if query.model is None:
            return None
        return model_reference(self.types, query.model)

    def _property(self, query: QueryT, prop_name: str, original: cst.Call,
                  filtering: bool = False) -> Optional[cst.BaseExpression]:
        """``Post.author`` for a stored property name (``Post.key`` for ``__key__``).

        A name the model does not declare is ``ndb.GenericProperty(name)``
        on an Expando, and in a filter on any model (db filtered the
        datastore on that stored name, matching nothing unless it is there).
        """
        if query.model is None:
            if prop_name == "__key__":
                return attr(self.ndb("Model"), "key")
            return None
        model = self.types.model(query.model)
        ref = self._model_ref(query, original)
        if model is None or ref is None:
            return None
        if prop_name == "__key__":
            return attr(cst.parse_expression(ref), "key")
        prop = model.property_by_stored_name(prop_name)
        if prop is not None:
            return attr(cst.parse_expression(ref), prop.attr)
        if model.is_expando or filtering:
            return call(self.ndb("GenericProperty"), [arg(cst.SimpleString(repr(prop_name)))])
        return None

    def _q_filter(self, query: QueryT, original: cst.Call, updated: cst.Call):
        args = updated.args
        if len(args) != 2 or any(a.keyword or a.star for a in args):
            return updated
        text = string_value(original.args[0].value)
        match = _FILTER.match(text) if text is not None else None
        if match is None:
            # built at run time (or a string db could not read either): read at run time, as db did
            ref = self._model_ref(query, original)
            if ref is None:
                self.todo(
                    f"`{short(original)}`: the filter string is built at run time and the query's model is not "
                    "known here; write `Model.prop <op> value` (ndb rejects strings)."
                )
                return updated
            self.converted()
            node: cst.BaseExpression = call(self.helper("filter_by"), [arg(cst.parse_expression(ref)), args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT), arg(args[1].value)])
            return updated.with_changes(args=[arg(node)])
        prop_name, op = match.group(1), (match.group(2) or "=").lower()
        prop = self._property(query, prop_name, original, filtering=True)
        if prop is None:
            self.todo(f"`{short(original)}`: the query's model class is not known here; "
                      f"write `Model.{prop_name} {op if op != '=' else '=='} value`.")
            return updated
        value = entity_keys(self.types, original.args[1].value, args[1].value)
        if op in ("in", "!="):
            if op == "!=":
                node = call(self.helper("not_equal"), [arg(prop), arg(value)])  # db ran `< OR >`
            elif _never_empty(value):
                node = method(prop, "IN", [arg(value)])
            else:  # an empty list gave no results in db; ndb cannot run one
                node = call(self.helper("IN"), [arg(prop), arg(value)])
            self.converted()
            receiver = method_of(updated).value
            if not (self._ordered_chain(original) or self._merged_already(method_of(original).value, receiver)
                    or _one_value(value)):
                # db merged the sub-queries' results by key (its MultiQuery); ndb runs them one after the other
                receiver = self._merged(receiver)
            return updated.with_changes(func=method_of(updated).with_changes(value=receiver), args=[arg(node)])
        else:
            node = cst.Comparison(left=prop, comparisons=[cst.ComparisonTarget(
                operator=_OPERATORS[op](whitespace_before=cst.SimpleWhitespace(" "), whitespace_after=cst.SimpleWhitespace(" ")),
                comparator=value)])
        self.converted()
        return updated.with_changes(args=[arg(node)])

    def _merged_already(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> bool:
        """The query a filter is added to starts from ``merged_by_key`` (in this chain, or in every assignment)."""
        node = updated
        while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if _merge_wrapper(node):
                return True
            node = node.func.value
        return isinstance(original, cst.Name) and self._multi_query(original, merged=True)

    def _merged(self, receiver: cst.BaseExpression) -> cst.BaseExpression:
        """``ndb_legacy.merged_by_key(...)`` around the chain's ``Model.query()`` (or around ``receiver``)."""
        root = _query_root(receiver)
        if root is None:
            return call(self.helper("merged_by_key"), [arg(receiver)])
        return _replace_root(receiver, root, call(self.helper("merged_by_key"), [arg(root)]))

    def _q_order(self, query: QueryT, original: cst.Call, updated: cst.Call):
        out = []
        changed = False
        for original_arg, item in zip(original.args, updated.args):
            text = string_value(original_arg.value) if original_arg.keyword is None else None
            if text is None:
                out.append(item)
                continue
            descending = text.startswith("-")
            prop = self._property(query, text.lstrip("-"), original) if query.model else None
            model_ref = self._model_ref(query, original) if prop is None and query.model else None
            if model_ref is not None:
                # a name the model does not declare: db's order() raised PropertyError
                changed = True
                ref = cst.parse_expression(model_ref)
                out.append(item.with_changes(value=call(self.helper("order_by"), [arg(ref), arg(original_arg.value)])))
                continue
            if prop is None or isinstance(prop, cst.Call):
                out.append(item)  # ndb accepts string orders on stored names too
                continue
            changed = True
            out.append(arg(cst.UnaryOperation(operator=cst.Minus(), expression=prop) if descending else prop))
        if changed:
            self.converted()
            return updated.with_changes(args=out)
        return updated

    def _q_ancestor(self, query: QueryT, original: cst.Call, updated: cst.Call):
        if len(updated.args) != 1 or updated.args[0].keyword:
            return updated
        value = updated.args[0].value
        if isinstance(self.types.type_of(original.args[0].value), EntityT):
            if never_put(self.types, original.args[0].value):
                # db's entity.key() raised NotSavedError; ndb's `ancestor=None` is a query without an ancestor
                value = call(self.helper("key_of"), [arg(value)])
            else:
                value = attr(value, "key")
        root = _query_root(method_of(updated).value)
        if root is None:
            self.todo(
                f"`{short(original)}`: ndb queries take the ancestor when they are created: "
                "`Model.query(ancestor=key)`; move it there."
            )
            return updated
        self.converted()
        return _replace_root(method_of(updated).value, root, root.with_changes(args=[*root.args, arg(value, "ancestor")]))

    # -- keys-only queries: the option goes where the query runs ------------------------
    _CHAIN = {"filter", "order", "ancestor"}
    _RUNS = {"fetch", "get", "iter", "run", "count", "fetch_page", "with_cursor", "cursor"}

    def _runs_are_known(self, creation: cst.Call) -> bool:
        """True if every place the keys-only query created by ``creation`` runs is rewritable."""
        parents = self.types.parents
        node, verdict = self._follow_chain(creation, parents)
        if verdict is not None:
            return verdict
        return self._consumed_safely(node, parents, depth=0)

    def _follow_chain(self, node, parents):
        """Walk ``node.filter(...).order(...)...`` up to its end.

        Returns ``(end, verdict)``: verdict True when the chain ends in a run
        (fetch, get, ...), False when it ends in another method call, None when
        the chain's value is used some other way (``end`` is that value's node).
        """
        while True:
            parent = parents.get(node)
            grand = parents.get(parent) if parent is not None else None
            if isinstance(parent, cst.Attribute) and isinstance(grand, cst.Call) and grand.func is parent:
                if parent.attr.value in self._CHAIN:
                    node = grand
                    continue
                return node, parent.attr.value in self._RUNS
            return node, None

    def _consumed_safely(self, node, parents, depth: int) -> bool:
        parent = parents.get(node)
        if isinstance(parent, (cst.For, cst.CompFor)) and parent.iter is node:
            return True
        if isinstance(parent, cst.Arg) and parent.keyword is None:
            consumer = parents.get(parent)
            if _iterates(consumer, parent):
                return True  # sorted(q), list(q): leave_Call iterates it with keys_only=True
            deleter = parents.get(parent)
            if isinstance(deleter, cst.Call) and deleter.args and deleter.args[0] is parent:
                if isinstance(deleter.func, (cst.Name, cst.Attribute)) and self.types.legacy_names(deleter.func) & {
                    "db.delete", "db.delete_async"
                }:
                    return True  # DB007: ndb.delete_multi(q.fetch(keys_only=True))
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
            if depth > 3:
                return False
            target = parent.targets[0].target
            scope = self.types.scopes.get(target)
            if scope is None:
                return False
            for assignment in scope.assignments[target]:
                if not isinstance(assignment, Assignment) or assignment.node is not target:
                    continue
                for access in assignment.references:
                    use = access.node
                    holder = parents.get(use)
                    call_node = parents.get(holder) if holder is not None else None
                    if isinstance(holder, (cst.For, cst.CompFor)) and holder.iter is use:
                        continue
                    if isinstance(holder, cst.Attribute) and isinstance(call_node, cst.Call) and call_node.func is holder:
                        if holder.attr.value in self._RUNS:
                            continue
                        if holder.attr.value in self._CHAIN and self._chain_consumed(call_node, parents, depth):
                            continue
                    return False
                return True
        return False

    def _chain_consumed(self, node, parents, depth: int) -> bool:
        node, verdict = self._follow_chain(node, parents)
        if verdict is not None:
            return verdict
        if isinstance(parents.get(node), cst.Expr):
            return True  # q.filter(...) as a statement: DB009 reassigns it to the same variable
        return self._consumed_safely(node, parents, depth + 1)

    def _runs_explicitly(self, node) -> bool:
        """``q.fetch(...)`` / ``q.run()`` ...: the query already runs (keys_only goes there)."""
        return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in self._RUNS

    def _with_keys_only(self, query: QueryT, updated: cst.Call) -> cst.Call:
        if not query.keys_only or self.keyword(updated, "keys_only") is not None:
            return updated
        return updated.with_changes(args=[*updated.args, arg(cst.Name("True"), "keys_only")])

    def _q_get(self, query: QueryT, original: cst.Call, updated: cst.Call):
        return self._with_keys_only(query, updated)

    def _q_iter(self, query: QueryT, original: cst.Call, updated: cst.Call):
        return self._with_keys_only(query, updated)

    def _q_fetch_page(self, query: QueryT, original: cst.Call, updated: cst.Call):
        return self._with_keys_only(query, updated)

    def leave_For(self, original_node: cst.For, updated_node):
        updated_node = self._keys_only_loop(original_node, updated_node)
        plan = self._loop_plans.get(id(original_node))
        if plan is None or plan.loop is not original_node:
            return updated_node
        # for e in q.run(...): ... then q.cursor() -> q_iter = q.iter(..., produce_cursors=True); for e in q_iter: ...
        self.converted()
        iterated = updated_node.iter
        if not (isinstance(iterated, cst.Call) and isinstance(iterated.func, cst.Attribute)
                and iterated.func.attr.value == "iter"):
            iterated = method(iterated, "iter")
        iterated = iterated.with_changes(args=fix_commas([*iterated.args, arg(cst.Name("True"), "produce_cursors")]))
        results = cst.Name(plan.results_name)
        first = cst.SimpleStatementLine(body=[cst.Assign(targets=[cst.AssignTarget(results)], value=iterated)],
                                        leading_lines=updated_node.leading_lines)
        return cst.FlattenSentinel([first, updated_node.with_changes(iter=results, leading_lines=[])])

    def leave_CompFor(self, original_node: cst.CompFor, updated_node):
        return self._keys_only_loop(original_node, updated_node)

    def _keys_only_loop(self, original_node, updated_node):
        found = self.types.type_of(original_node.iter)
        it = original_node.iter
        if isinstance(found, QueryT) and isinstance(it, cst.Call) and isinstance(it.func, cst.Attribute) \
                and it.func.attr.value == "with_cursor" and len(it.args) == 1 and not it.args[0].star \
                and isinstance(updated_node.iter, cst.Call) and isinstance(updated_node.iter.func, cst.Attribute):
            # for e in q.with_cursor(c): ... -> for e in q.iter(start_cursor=...): ...
            self.converted()
            new = updated_node.iter
            options = [arg(self._cursor_from(new.args[0].value), "start_cursor")]
            if found.keys_only:
                options.append(arg(cst.Name("True"), "keys_only"))
            return updated_node.with_changes(iter=method(new.func.value, "iter", options))
        if isinstance(found, QueryT) and found.keys_only and not isinstance(original_node.iter, cst.Call):
            self.converted()
            return updated_node.with_changes(iter=method(updated_node.iter, "iter", [arg(cst.Name("True"), "keys_only")]))
        if isinstance(found, QueryT) and found.keys_only and isinstance(original_node.iter, cst.Call):
            func = original_node.iter.func
            if not (isinstance(func, cst.Attribute) and func.attr.value in self._RUNS):
                self.converted()
                return updated_node.with_changes(iter=method(updated_node.iter, "iter", [arg(cst.Name("True"), "keys_only")]))
        return updated_node

    def _q_count(self, query: QueryT, original: cst.Call, updated: cst.Call):
        args = list(updated.args)
        if _zero_limit(original):
            self.converted()
            return cst.Integer("0")  # db counted nothing with limit 0; ndb takes 0 as no limit
        if not args:
            self.converted()
            return updated.with_changes(args=[arg(cst.Integer("1000"), "limit")])
        if args[0].keyword is None and not args[0].star:
            self.converted()
            return updated.with_changes(args=[as_keyword(args[0], "limit"), *args[1:]])
        return updated

    def _started(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        """``q.with_cursor(c).fetch(n)`` -> ``q.fetch(n, start_cursor=ndb.Cursor(urlsafe=c) if c else None)``."""
        receiver = method_of(original).value
        if not (isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute)
                and receiver.func.attr.value == "with_cursor" and len(receiver.args) == 1 and not receiver.args[0].star
                and isinstance(method_of(updated).value, cst.Call)):
            return updated
        inner = cst.ensure_type(method_of(updated).value, cst.Call)
        self.converted()
        return updated.with_changes(func=method_of(updated).with_changes(value=method_of(inner).value),
                                    args=[*updated.args, arg(self._cursor_from(inner.args[0].value), "start_cursor")])

    def _cursor_from(self, text: cst.BaseExpression) -> cst.BaseExpression:
        """``ndb.Cursor(urlsafe=c) if c else None`` (db's with_cursor(None) started at the beginning)."""
        cursor = call(self.ndb("Cursor"), [arg(text, "urlsafe")])
        if is_simple(text):
            return cst.IfExp(test=text, body=cursor, orelse=cst.Name("None"))
        return cursor

    def _q_fetch(self, query: QueryT, original: cst.Call, updated: cst.Call):
        updated = self._started(original, updated)
        args = list(updated.args)
        if _zero_limit(original):
            self.converted()
            return cst.List(elements=[])  # db fetched nothing with limit 0; ndb takes 0 as no limit
        positional = [a for a in args if a.keyword is None and not a.star]
        if len(positional) == 2:
            self.converted()
            updated = updated.with_changes(args=[positional[0], as_keyword(positional[1], "offset"),
                                                 *[a for a in args if a not in positional]])
        return self._with_keys_only(query, updated)

    def _q_run(self, query: QueryT, original: cst.Call, updated: cst.Call):
        self.converted()
        if _zero_limit(original):
            return call(cst.Name("iter"), [arg(cst.List(elements=[]))])  # db ran nothing with limit 0
        return self._with_keys_only(query, updated.with_changes(func=attr(method_of(updated).value, "iter")))

    def _q_cursor(self, query: QueryT, original: cst.Call, updated: cst.Call):
        loop = self._loop_plans.get(id(original))
        if loop is not None:
            self.converted()
            return call(self.helper("cursor_after"), [arg(cst.Name(loop.results_name))])
        statement = self.current_statement()
        plan = self._cursor_plans.get(id(statement)) if statement is not None else None
        if plan is not None:
            if plan.cursor_call is original:
                self.converted()
                return cursor_value(plan, self.helper)
            return updated  # part of a recognised with_cursor/fetch/cursor() pattern
        if method_of(original).attr.value == "cursor" and not original.args and self._multi_query(method_of(original).value):
            # db's IN / != queries (a MultiQuery) had no cursor: AssertionError, whether run or not
            self.converted()
            return call(self.helper("cursor_after"), [arg(method_of(updated).value)])
        self.todo(
            "cursors: use `results, cursor, more = q.fetch_page(n, start_cursor=ndb.Cursor(urlsafe=s))` "
            "and `cursor.urlsafe()`; ndb queries have no cursor()/with_cursor()."
        )
        return updated

    def _ordered_chain(self, call_node: cst.Call) -> bool:
        """The query chain ``call_node`` is part of (``M.all().filter(..).order(..)``) has an ``order()``."""
        node: cst.BaseExpression = call_node
        while True:  # up to the end of the chain
            parent = self.types.parents.get(node)
            grand = self.types.parents.get(parent) if isinstance(parent, cst.Attribute) else None
            if not (isinstance(grand, cst.Call) and grand.func is parent):
                break
            node = grand
        while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):  # down to its start
            if node.func.attr.value == "order":
                return True
            node = node.func.value
        return False

    def _multi_query(self, node: Optional[cst.BaseExpression], merged: bool = False) -> bool:
        """``node`` is a query with an ``IN`` or ``!=`` string filter in the chain that made it (every assignment).

        ``merged``: only chains DB008 started from ``merged_by_key`` (not an ``IN`` of one value), or ordered ones.
        """
        if isinstance(node, cst.Name):
            scope = self.types.scopes.get(node)
            assignments = scope[node.value] if scope is not None and node.value in scope else ()
            bound = [self.types.bounds.get(a.node) for a in assignments if isinstance(a, Assignment)]
            values = [getattr(b, "value", None) for b in bound if getattr(b, "how", None) == "value"]
            return bool(values) and len(values) == len(assignments) and all(self._multi_query(v, merged) for v in values)
        while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if merged and node.func.attr.value == "order":
                return True
            if node.func.attr.value == "filter" and node.args:
                text = string_value(node.args[0].value)
                if text is not None and _MULTI_OPERATOR.search(text):
                    if not (merged and len(node.args) > 1 and _one_value(node.args[1].value)):
                        return True
            node = node.func.value
        return False

    def _q_with_cursor(self, query: QueryT, original: cst.Call, updated: cst.Call):
        parent = self.types.parents.get(original)
        if isinstance(parent, cst.For) and parent.iter is original and len(original.args) == 1:
            return updated  # leave_For iterates it from the cursor
        grand = self.types.parents.get(parent) if parent is not None else None
        if isinstance(parent, cst.Attribute) and parent.attr.value == "fetch" and isinstance(grand, cst.Call) \
                and len(original.args) == 1:
            return updated  # _q_fetch passes start_cursor=
        return self._q_cursor(query, original, updated)

    _q_end_cursor = _q_cursor


#: a string filter db ran as a MultiQuery (``'city IN'``, ``'n !='``)
_MULTI_OPERATOR = re.compile(r"\s(in|!=)\s*$", re.IGNORECASE)

#: builtins that iterate their first argument
_ITERATING = ("sorted", "list", "set", "tuple", "min", "max", "enumerate", "frozenset")


def _iterates(call_node, argument) -> bool:
    """``sorted(x)`` / ``list(x)`` ...: ``call_node`` is a builtin iterating ``argument`` (its first argument)."""
    return (isinstance(call_node, cst.Call) and isinstance(call_node.func, cst.Name)
            and call_node.func.value in _ITERATING and bool(call_node.args) and call_node.args[0] is argument
            and argument.keyword is None and not argument.star)


def _never_empty(value: cst.BaseExpression) -> bool:
    """A list literal with items, or a comprehension over one (no ``if``): an IN filter ndb can run."""
    if isinstance(value, cst.ListComp) and not value.for_in.ifs and value.for_in.inner_for_in is None:
        value = value.for_in.iter
    return isinstance(value, cst.List) and bool(value.elements)


def _one_value(value: cst.BaseExpression) -> bool:
    """A list or tuple literal of one item: db (and ndb) ran ``IN`` on it as a single query, nothing to merge."""
    return isinstance(value, (cst.List, cst.Tuple)) and len(value.elements) == 1 \
        and not isinstance(value.elements[0], cst.StarredElement)


def _zero_limit(call_node: cst.Call) -> bool:
    """``q.fetch(0)`` / ``q.count(0)`` / ``limit=0`` with a literal 0."""
    for item in call_node.args:
        if (item.keyword is None and item is call_node.args[0]) or (item.keyword is not None and item.keyword.value == "limit"):
            return isinstance(item.value, cst.Integer) and item.value.evaluated_value == 0
    return False


def entity_keys(types, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
    """A query parameter as ndb needs it: db turned an entity into its key (also in a list), ndb does not."""
    found = types.type_of(original)
    if isinstance(found, EntityT):
        if is_reference(types, original):
            return updated  # a ReferenceProperty: a Key already in ndb
        return attr(updated, "key")
    if isinstance(found, ListT) and isinstance(found.item, EntityT):
        text = cst.Module(body=[]).code_for_node(updated)
        return cst.parse_expression(f"[entity.key for entity in {text}]")
    return updated


def is_reference(types, node: cst.BaseExpression) -> bool:
    """``e.ref`` where ``ref`` is a ReferenceProperty of a legacy model: an entity in db, a Key in ndb."""
    if not isinstance(node, cst.Attribute):
        return False
    owner = types.type_of(node.value)
    if isinstance(owner, EntityT) and owner.model:
        model = types.model(owner.model)
        prop = model.properties.get(node.attr.value) if model else None
        return bool(prop and prop.is_reference)
    return False


def _query_root(node: cst.BaseExpression) -> Optional[cst.Call]:
    """The ``Model.query(...)`` (or kindless ``ndb.Query(...)``) call at the start of a filter/order chain."""
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value in ("query", "Query"):
            return node
        if _merge_wrapper(node):
            node = node.args[0].value
            continue
        if method_of(node).attr.value not in ("filter", "order"):
            return None
        node = method_of(node).value
    return None


def _merge_wrapper(node: cst.Call) -> bool:
    """``ndb_legacy.merged_by_key(q)``, which DB008 puts around the start of an unordered IN / != chain."""
    return isinstance(node.func, cst.Attribute) and node.func.attr.value == "merged_by_key" and len(node.args) == 1


def _replace_root(node: cst.BaseExpression, root: cst.Call, new_root: cst.Call) -> cst.BaseExpression:
    if node is root:
        return new_root
    if isinstance(node, cst.Call) and _merge_wrapper(node):
        return node.with_changes(args=[node.args[0].with_changes(value=_replace_root(node.args[0].value, root, new_root))])
    chained = cst.ensure_type(node, cst.Call)  # a filter / order call of the chain
    inner = _replace_root(method_of(chained).value, root, new_root)
    return chained.with_changes(func=method_of(chained).with_changes(value=inner))
