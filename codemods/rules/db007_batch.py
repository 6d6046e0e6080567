"""DB007: batch functions and getters: db.get/put/delete, get_by_key_name, get_by_id, M.get."""

from __future__ import annotations

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from codemods.analysis.types import EntityT, KeyT, ListT, QueryT, StrT
from codemods.framework.rule import Rule
from codemods.rules._common import arg, attr, call, method, method_of, short

_MULTI = {"db.get": "get_multi", "db.put": "put_multi", "db.delete": "delete_multi",
          "db.get_async": "get_multi_async", "db.put_async": "put_multi_async",
          "db.delete_async": "delete_multi_async"}


#: read policies: db's constants -> ndb's (``read_policy=`` is ndb's deprecated alias of ``read_consistency=``)
_CONSISTENCY = {"db.EVENTUAL_CONSISTENCY": "EVENTUAL", "db.STRONG_CONSISTENCY": "STRONG"}


class BatchFunctionsRule(Rule):
    """DB007 batches: ``db.get/put/delete`` and the model getters.

        db.put(e)                            e.put()
        db.put([a, b])                       ndb.put_multi([a, b])
        db.get(k)                            k.get()
        db.get(encoded)                      ndb.Key(urlsafe=encoded).get()
        db.get(encoded_list)                 ndb.get_multi([ndb.Key(urlsafe=encoded) for encoded in encoded_list])
        db.get(keys)                         ndb.get_multi(keys)
        db.delete(e)  / db.delete(k)         e.key.delete()  / k.delete()
        db.delete(entities)                  ndb.delete_multi([x.key for x in entities])
        Post.get_by_key_name('x', parent=b)  Post.get_by_id('x', parent=b.key)
        Post.get_by_key_name(['x', 'y'])     ndb.get_multi([ndb.Key(Post, i) for i in ['x', 'y']])
        later(Post.get_by_key_name)          later(functools.partial(ndb_legacy.get_by_key_name, Post))
        Post.get(k)                          k.get()
        post = Post.get(encoded)             post = ndb.Key(urlsafe=encoded).get()
                                             if post is not None and not isinstance(post, Post):
                                                 raise ndb.KindError('Kind %r is not a subclass of kind %r' % (...))
        q.fetch(10, read_policy=db.EVENTUAL_CONSISTENCY)
                                             q.fetch(10, read_consistency=ndb.EVENTUAL)

    db's functions accept one item or a list (and entities, keys or encoded
    strings); ndb has a method for one and ``*_multi`` for lists. The
    argument's type decides (inferred across functions and files: a
    parameter has the type every call site in the project passes); where it
    is unknown, a TODO names the choices (a runtime test of the argument's
    type would be right but unreadable). ``Post.get(x)`` checked the kind:
    for an encoded string (from a URL or a form, where another kind is
    possible and apps catch KindError to answer 404) the check follows the
    assignment, as above; for a Key in the program ``k.get()`` trusts it.
    Models that override ``get`` keep ``Post.get(...)``. A getter handed on
    as a value (a callback, ``assertRaises``) is legacy's, arguments checked
    as db checked them: ndb's ``get_by_id`` takes ids and names alike (a
    name where db wanted an id reads another entity instead of raising
    BadArgumentError) and sends id 0 or ``''`` to the server.
    """

    TODOS = (
        "`db.get/put/delete(x)` where `x` may be one item or a list: use the method for one "
        "(`k.get()`, `e.put()`, `e.key.delete()` / `k.delete()`) or `ndb.get_multi/put_multi/delete_multi` for a list.",
        "`db.delete(list)` whose items may be entities or keys: `ndb.delete_multi` takes keys (`[e.key for e in items]`).",
        "`Model.get(x)` where `x` is not known to be a key, a list or an encoded string: `x.get()` / `ndb.get_multi(x)` / "
        "`ndb.Key(urlsafe=x).get()`; ndb does not check the kind.",
        "`get_by_key_name(names)` where `names` looks like a list: "
        "`ndb.get_multi([ndb.Key(Model, n) for n in names])`.",
    )
    ID = "DB007"
    TITLE = "db.get/put/delete -> methods or *_multi; get_by_key_name / get_by_id / Model.get"
    HANDLES = frozenset(_MULTI) | frozenset(_CONSISTENCY)

    def leave_Attribute(self, original_node, updated_node):
        return self._consistency(original_node, updated_node)

    def leave_Name(self, original_node, updated_node):
        return self._consistency(original_node, updated_node)

    def visit_Module(self, node: cst.Module) -> None:
        self._callees: set = set()

    def visit_Call(self, node: cst.Call) -> None:
        self._callees.add(id(node.func))

    def _consistency(self, original_node, updated_node):
        names = self.types.legacy_names(original_node)
        if id(original_node) not in self._callees and isinstance(original_node, cst.Attribute) \
                and original_node.attr.value in ("get_by_key_name", "get_by_id", "get"):
            model = self.types.model_class(original_node.value)
            if model is not None and model.is_legacy and original_node.attr.value != "get" \
                    and original_node.attr.value not in model.methods:
                # handed on (a callback, assertRaises): the arguments are not known here, so legacy's checks
                # run with them (ndb's get_by_id takes ids and names alike, and sends id 0 or '' to the server)
                self.converted()
                AddImportsVisitor.add_needed_import(self.context, "functools")
                return call(cst.parse_expression("functools.partial"),
                            [arg(self.helper(original_node.attr.value)), arg(updated_node.value)])
            if model is not None and model.is_legacy and original_node.attr.value == "get_by_key_name":
                self.converted()  # the app's own get_by_key_name, handed on by name
                return updated_node.with_changes(attr=cst.Name("get_by_id"))
            if model is not None and model.is_legacy and "get" not in model.methods:
                # Model.get handed on (a callback, assertRaises): legacy's get with its kind check
                self.converted()
                AddImportsVisitor.add_needed_import(self.context, "functools")
                return call(cst.parse_expression("functools.partial"),
                            [arg(self.helper("get")), arg(updated_node.value, "model")])
        if id(original_node) not in self._callees:
            # db.get / db.put / db.delete used as values (handed to a helper, stored): legacy's dispatch
            for name in names & {"db.get", "db.put", "db.delete"}:
                self.converted()
                return self.helper(name[3:])
        for name in names & set(_CONSISTENCY):
            self.converted()
            return self.ndb(_CONSISTENCY[name])
        return updated_node

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg):
        # read_policy=db.EVENTUAL_CONSISTENCY -> read_consistency=ndb.EVENTUAL
        if original_node.keyword is not None and original_node.keyword.value == "read_policy":
            value = original_node.value
            if isinstance(value, (cst.Name, cst.Attribute)) and self.types.legacy_names(value) & set(_CONSISTENCY):
                return updated_node.with_changes(keyword=cst.Name("read_consistency"))
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        func = original_node.func
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return updated_node
        legacy = self.types.legacy_names(func) & set(_MULTI)
        if legacy:
            return self._batch(next(iter(legacy)), original_node, updated_node)
        if isinstance(func, cst.Attribute):
            receiver = self.types.model_class(func.value)
            if receiver is not None and receiver.is_legacy:
                return self._getter(receiver, func.attr.value, original_node, updated_node)
        return updated_node

    def _batch(self, name: str, original: cst.Call, updated: cst.Call):
        if not original.args or original.args[0].keyword is not None or original.args[0].star:
            self.todo(f"`{short(original)}`: use the ndb method for one item or ndb.{_MULTI[name]}() for a list.")
            return updated.with_changes(func=original.func)
        value_type = self.types.type_of(original.args[0].value)
        value = updated.args[0].value
        extra = list(updated.args[1:])
        op = name.split(".")[1]
        is_async = op.endswith("_async")
        base = op.replace("_async", "")
        suffix = "_async" if is_async else ""
        if isinstance(value_type, QueryT) and base == "delete":
            self.converted()
            keys = method(value, "fetch", [arg(cst.Name("True"), "keys_only")])
            return call(self.ndb(_MULTI[name]), [arg(keys), *extra])
        if isinstance(value_type, ListT):
            if base == "delete":
                if isinstance(value_type.item, KeyT):
                    self.converted()
                    return call(self.ndb(_MULTI[name]), [arg(value), *extra])
                if isinstance(value_type.item, EntityT):
                    self.converted()
                    text = cst.Module(body=[]).code_for_node(value)
                    entity_keys = cst.parse_expression(f"[entity.key for entity in {text}]")
                    return call(self.ndb(_MULTI[name]), [arg(entity_keys), *extra])
                if not is_async and not extra:
                    self.converted()  # entities, keys or encoded strings: ndb_legacy.delete sorts them out
                    return updated.with_changes(func=self.helper("delete"))
                self.todo(f"`{short(original)}`: ndb.delete_multi() takes keys; pass `[e.key for e in ...]` if these are entities.")
                return updated.with_changes(func=original.func)
            if base in ("get", "delete") and isinstance(value_type.item, StrT):
                self.converted()  # db accepted encoded key strings
                return call(self.ndb(_MULTI[name]), [arg(self._decoded_keys(value)), *extra])
            if base == "get" and not isinstance(value_type.item, (KeyT, type(None))):
                if not is_async and not extra:
                    self.converted()
                    return updated.with_changes(func=self.helper("get"))
                self.todo(f"`{short(original)}`: ndb.get_multi() takes Key objects only.")
                return updated.with_changes(func=original.func)
            self.converted()
            return call(self.ndb(_MULTI[name]), [arg(value), *extra])
        if base == "put" and isinstance(value_type, EntityT):
            self.converted()
            return method(value, "put" + suffix, extra)
        if base == "get" and isinstance(value_type, KeyT):
            self.converted()
            return method(value, "get" + suffix, extra)
        if base in ("get", "delete") and isinstance(value_type, StrT):
            self.converted()  # db accepted an encoded key string
            return method(call(self.ndb("Key"), [arg(value, "urlsafe")]), base + suffix, extra)
        if base == "delete" and isinstance(value_type, KeyT):
            self.converted()
            return method(value, "delete" + suffix, extra)
        if base == "delete" and isinstance(value_type, EntityT):
            self.converted()
            return method(attr(value, "key"), "delete" + suffix, extra)
        if not is_async and not extra:
            # one item or a list, entities, keys or encoded strings: legacy's own dispatch, at run time
            self.converted()
            return updated.with_changes(func=self.helper(base))
        self.todo(
            f"`{short(original)}`: cannot tell whether this is one item or a list; use "
            f"`x.{'key.' if base == 'delete' else ''}{base}{suffix}()` for one, ndb.{_MULTI[name]}() for a list."
        )
        return updated.with_changes(func=original.func)

    def _getter(self, model, name: str, original: cst.Call, updated: cst.Call):
        if name == "get" and "get" in model.methods:
            return updated  # the app's own override
        args = list(updated.args)
        parent_fix = []
        for original_arg, item in zip(original.args, args):
            if item.keyword is not None and item.keyword.value == "parent":
                if isinstance(self.types.type_of(original_arg.value), EntityT):
                    item = item.with_changes(value=attr(item.value, "key"))
            parent_fix.append(item)
        args = parent_fix + args[len(parent_fix):]  # another rule may have added arguments
        receiver = method_of(updated).value
        if name in ("get_by_key_name", "get_by_id"):
            if not original.args or original.args[0].keyword is not None:
                return updated
            first_type = self.types.type_of(original.args[0].value)
            if isinstance(first_type, ListT):
                return self._getter_multi(model, receiver, original, args)
            if isinstance(first_type, ListT) or (first_type is None and name == "get_by_key_name" and _looks_plural(original.args[0].value)):
                self.todo(f"`{short(original)}`: a list of ids needs ndb.get_multi([ndb.Key({model.name}, i) for i in ids]).")
                return updated
            self.converted()
            return updated.with_changes(func=attr(receiver, "get_by_id"), args=args)
        if name == "get":
            if not original.args or original.args[0].keyword is not None or len(original.args) > 1:
                return updated
            first_type = self.types.type_of(original.args[0].value)
            value = args[0].value
            if isinstance(first_type, KeyT):
                self.converted()
                return method(value, "get")
            if isinstance(first_type, ListT):
                self.converted()
                keys = self._decoded_keys(value) if isinstance(first_type.item, StrT) else value
                return call(self.ndb("get_multi"), [arg(keys)])
            if isinstance(first_type, StrT):
                self.converted()
                self._check_kind(original, receiver)
                return method(call(self.ndb("Key"), [arg(value, "urlsafe")]), "get")
            self.converted()  # one or many, keys or encoded strings, with legacy's kind check: at run time
            return call(self.helper("get"), [args[0], arg(receiver, "model")])
        return updated.with_changes(args=args) if args != list(updated.args) else updated

    def _decoded_keys(self, strings: cst.BaseExpression) -> cst.BaseExpression:
        """``[ndb.Key(urlsafe=s) for s in strings]``: a list of encoded key strings as keys."""
        self.require_ndb()
        text = cst.Module(body=[]).code_for_node(strings)
        return cst.parse_expression(f"[ndb.Key(urlsafe=encoded) for encoded in {text}]")

    def _check_kind(self, original: cst.Call, model_class: cst.BaseExpression) -> None:
        """``e = Post.get(s)``: add legacy's kind check after the assignment (KindError for another kind).

        An encoded key from outside (a URL, a form) may name an entity of
        another kind; db raised KindError, which apps catch to answer 404.
        Only where the call is the whole value assigned to a name.
        """
        statement = self.current_statement()
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        if not (isinstance(small, cst.Assign) and small.value is original and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)):
            return
        name = small.targets[0].target.value
        cls = cst.Module(body=[]).code_for_node(model_class)
        self.require_ndb()
        self.add_statement_after(cst.parse_statement(
            f"if {name} is not None and not isinstance({name}, {cls}):\n"
            f"    raise ndb.KindError('Kind %r is not a subclass of kind %r' % ({name}._get_kind(), {cls}._get_kind()))\n"
        ))

    def _getter_multi(self, model, receiver, original, args):
        ids = cst.Module(body=[]).code_for_node(args[0].value)
        parent = next((a for a in args if a.keyword is not None and a.keyword.value == "parent"), None)
        ref = cst.Module(body=[]).code_for_node(receiver)
        parent_text = f", parent={cst.Module(body=[]).code_for_node(parent.value)}" if parent is not None else ""
        self.converted()
        self.require_ndb()
        return cst.parse_expression(f"ndb.get_multi([ndb.Key({ref}, id_{parent_text}) for id_ in {ids}])")


def _looks_plural(node: cst.BaseExpression) -> bool:
    name = node.value if isinstance(node, cst.Name) else node.attr.value if isinstance(node, cst.Attribute) else ""
    return name.endswith("s") and not name.endswith("ss") and name not in ("s",)
