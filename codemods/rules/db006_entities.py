"""DB006: entity and model-class methods."""

from __future__ import annotations

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from codemods.analysis.inference import HANDING_ON_CALLERS
from codemods.analysis.types import EntityT, KeyT, ModelClassT
from codemods.framework.rule import Rule
from codemods.rules._common import arg, as_keyword, attr, call, method, short


class EntityMethodsRule(Rule):
    """DB006 entities: constructor keywords and entity / model-class methods.

        Post(key_name='x', parent=blog)     Post(id='x', parent=blog.key)
        Post(stars=5)  # score = RatingProperty(name='stars')
                                            Post(score=5)
        e.delete()                          e.key.delete()
        callbacks.append(e.delete)          callbacks.append(e.key.delete)
        e.is_saved(), e.has_key()           e._has_complete_key()  (with a TODO)
        e.parent()                          e.key.parent().get()
        e.parent_key()                      e.key.parent()
        Post.kind(), e.kind()               Post._get_kind(), e._get_kind()
        Post.properties()                   Post._properties
        e.dynamic_properties()              ndb_legacy.dynamic_properties(e)
        Animal.class_name()                 Animal._class_name()
        Animal.class_key()                  Animal._class_key()
        db.to_dict(e)                       ndb_legacy.to_dict(e)
        Post.get_or_insert(key_name='x')    Post.get_or_insert('x')
        Post.get_or_insert('x')  # in a transaction callback
                                            ndb_legacy.get_or_insert(Post, 'x')  (with a TODO)

    db accepted an entity as ``parent``; ndb needs its key. db constructors
    (and ``get_or_insert``) take *stored* property names, ndb's take attribute
    names: keywords are renamed where a property has ``name=``; a keyword
    that is the attribute name of such a property was silently ignored by db,
    so it is dropped, with a TODO. Only calls whose
    receiver is known to be a model class or entity change. ``is_saved()`` and
    ``has_key()`` become ``e._has_complete_key()`` with a TODO: ndb does not
    track saving, and the key is complete as soon as an id is given, before
    any put. ``e.delete`` handed on as a callback becomes ``e.key.delete``.
    """

    TODOS = (
        "`parent=` of unknown type: ndb needs a Key; pass `entity.key` if it is an entity.",
        "`is_saved()` becomes `e._has_complete_key()`: also true for an unsaved entity made with an id (`key_name=`, "
        "`id=`, `key=`); track saving yourself if that matters.",
        "`has_key()` becomes `e._has_complete_key()`: the same truth value; db returned the key name or None for an "
        "unsaved entity.",
        "A constructor keyword that is the attribute name of a property stored under another `name=` is dropped: "
        "db ignored it (its constructors take stored names); pass it again if the app meant to set the property.",
        "`get_or_insert` in a function that only runs inside a transaction: db raised BadRequestError (nested "
        "transactions) and `ndb_legacy.get_or_insert(Model, ...)` keeps that; call `Model.get_or_insert` (which joins "
        "the transaction) if the app meant it.",
        "A constructor call leaving out a `required=True` property without a default: db's constructor raised "
        "BadValueError there; ndb builds every entity it loads with `Model()`, so it checks at `put()` instead.",
        "`properties()` on a model with `name=` overrides (or whose model is unknown): ndb's `_properties` is "
        "keyed by stored names, db's by attribute names.",
    )
    ID = "DB006"
    TITLE = "entity methods: key_name=, parent, delete(), kind(), properties(), is_saved(), to_dict"
    HANDLES = frozenset({"db.to_dict"})

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        func = original_node.func
        if isinstance(func, (cst.Name, cst.Attribute)):
            if "db.to_dict" in self.types.legacy_names(func):
                self.converted()  # stored values: a date as a datetime, a reference as its key, no empty list
                return updated_node.with_changes(func=self.helper("to_dict"))
            model = self.types.constructed_model(original_node)
            if model is not None and model.is_legacy:
                return self._constructor(original_node, updated_node, model)
            self._handed_on_class(original_node)
        if not isinstance(func, cst.Attribute) or not isinstance(updated_node.func, cst.Attribute):
            return updated_node
        name = func.attr.value
        receiver_type = self.types.type_of(func.value)
        receiver = updated_node.func.value
        if isinstance(receiver_type, ModelClassT) and self._legacy(receiver_type.model):
            return self._class_method(original_node, updated_node, name, receiver)
        if isinstance(receiver_type, EntityT) and (receiver_type.model is None or self._legacy(receiver_type.model)):
            return self._instance_method(original_node, updated_node, name, receiver)
        return updated_node

    def _legacy(self, qualname) -> bool:
        model = self.types.model(qualname)
        return model is not None and model.is_legacy

    # -- Model(...) ---------------------------------------------------------------
    def _constructor(self, original: cst.Call, updated: cst.Call, model):
        self._required(original, model)
        out = []
        changed = False
        for original_arg, item in zip(original.args, updated.args):
            key = item.keyword.value if item.keyword is not None else None
            renamed = self._stored_keyword(model, key, original) if key else None
            if renamed is _IGNORED:
                changed = True
                continue
            if renamed is not None:
                item = as_keyword(item, renamed)
                changed = True
            elif key == "key_name":
                item = as_keyword(item, "id")
                changed = True
            elif key == "_app":
                item = as_keyword(item, "app")
                changed = True
            elif key == "parent":
                parent_type = self.types.type_of(original_arg.value)
                if isinstance(parent_type, EntityT):
                    item = item.with_changes(value=attr(item.value, "key"))
                    changed = True
                elif not isinstance(parent_type, KeyT) and not (isinstance(item.value, cst.Name) and item.value.value == "None"):
                    self.todo(f"`parent={short(original_arg.value, 30)}`: ndb needs a Key here (db also accepted an entity); pass `<entity>.key` if it is one.")
            out.append(item)
        if changed:
            self.converted()
            return updated.with_changes(args=_without_trailing_comma(out, updated.args))
        return updated

    def _required(self, call: cst.Call, model) -> None:
        """A constructor call that leaves out a ``required=True`` property (no default): db raised there."""
        if any(a.star for a in call.args):
            return
        given = {a.keyword.value for a in call.args if a.keyword is not None}
        missing = sorted(p.attr for p in model.properties.values()
                         if p.required and p.stored_name not in given and p.attr not in given)
        if missing:
            self.todo(f"`{short(call, 40)}` leaves out required {', '.join(missing)}: db's constructor raised "
                      "BadValueError('Property ... is required'); ndb raises it at put().")

    def _handed_on_class(self, call: cst.Call) -> None:
        """``assertRaises(E, Model)``: the class handed on to be called with no arguments."""
        if not isinstance(call.func, cst.Attribute) or call.func.attr.value not in HANDING_ON_CALLERS:
            return
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if len(positional) != len(call.args) or not positional:
            return
        model = self.types.model_class(positional[-1].value) \
            if isinstance(positional[-1].value, (cst.Name, cst.Attribute)) else None
        if model is not None and model.is_legacy:
            self._required(cst.Call(func=positional[-1].value), model)

    def _stored_keyword(self, model, key: str, original: cst.Call):
        """db constructors take *stored* property names, ndb's take attribute names.

        The new keyword, None to keep ``key``, or ``_IGNORED`` for an
        attribute-name keyword db ignored (``Product(title=a)`` with
        ``title = db.StringProperty(name='t')``: db left ``title`` at its
        default, ndb would set it; with ``t=b`` in the same call db set ``b``,
        and keeping both would pass ``title=`` twice, which does not compile).
        The keyword is dropped with a TODO that says so.
        """
        if model is None or key in ("key_name", "parent", "key", "_app", "id", "namespace"):
            return None
        by_stored = model.property_by_stored_name(key)
        if by_stored is not None and by_stored.attr != key:
            return by_stored.attr
        by_attr = model.properties.get(key)
        if by_attr is not None and by_attr.stored_name != key and by_stored is None:
            passed = {a.keyword.value for a in original.args if a.keyword is not None}
            if by_attr.stored_name in passed:
                self.todo(
                    f"`{key}=` dropped: db constructors take stored names, so db ignored it and set the property "
                    f"from `{by_attr.stored_name}=` (now `{key}=`)."
                )
            else:
                self.todo(
                    f"`{key}=` dropped: db constructors take stored names, so db ignored it and left the property "
                    f"(stored as {by_attr.stored_name!r}) at its default; pass `{key}=` if you meant to set it."
                )
            return _IGNORED
        return None

    # -- M.method(...) ---------------------------------------------------------------
    def _class_method(self, original, updated, name, receiver):
        if name == "kind" and not original.args:
            self.converted()
            return method(receiver, "_get_kind")
        if name in ("class_name", "class_key") and not original.args:
            self.converted()
            return method(receiver, "_" + name)
        if name == "properties" and not original.args:
            return self._properties(self.types.model_class(original.func.value), original, updated, receiver)
        if name == "get_or_insert":
            args = list(updated.args)
            model = self.types.model_class(original.func.value)
            out = []
            for item in args:
                if item.keyword is not None and item.keyword.value == "key_name":
                    out.insert(0, item.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT))
                    self.converted()
                    continue
                renamed = self._stored_keyword(model, item.keyword.value, original) if item.keyword else None
                if renamed is _IGNORED:
                    self.converted()
                    continue
                if renamed is not None:
                    item = as_keyword(item, renamed)
                    self.converted()
                out.append(item)
            if self.types.in_transaction(original):
                # db's get_or_insert ran its own transaction: inside one it raised (nested transactions)
                self.converted()
                self.todo("`get_or_insert` inside a transaction: db raised BadRequestError (nested transactions) and "
                          "ndb_legacy.get_or_insert keeps that; ndb's `Model.get_or_insert` joins the transaction.")
                return call(self.helper("get_or_insert"), [arg(updated.func.value), *_without_trailing_comma(out, args)])
            return updated.with_changes(args=_without_trailing_comma(out, args)) if out != args else updated
        return updated

    def _properties(self, model, original, updated, receiver):
        """``properties()`` -> ``_properties``: the same dict only if no property has a ``name=``.

        db keys it by attribute name, ndb by stored name.
        """
        renamed = sorted(p.attr for p in model.properties.values() if p.stored_name != p.attr) if model else None
        if renamed is None or renamed:
            self.todo(
                "properties(): ndb's `_properties` is keyed by stored names, db's by attribute names"
                + (f" (they differ for {', '.join(renamed)})" if renamed else "")
                + "; map `prop._code_name` if you need attribute names."
            )
            return updated
        self.converted()
        return attr(receiver, "_properties")

    # -- e.method(...) -------------------------------------------------------------------
    def _instance_method(self, original, updated, name, receiver):
        if original.args:
            return updated
        if name == "delete":
            self.converted()
            return method(attr(receiver, "key"), "delete")
        if name == "parent":
            self.converted()
            return method(method(attr(receiver, "key"), "parent"), "get")
        if name == "parent_key":
            self.converted()
            return method(attr(receiver, "key"), "parent")
        if name == "kind":
            self.converted()
            return method(receiver, "_get_kind")
        if name in ("class_name", "class_key"):
            self.converted()
            return method(receiver, "_" + name)
        if name == "properties":
            owner = self.types.type_of(original.func.value)
            model = self.types.model(owner.model) if isinstance(owner, EntityT) else None
            return self._properties(model, original, updated, receiver)
        if name == "dynamic_properties":
            self.converted()
            return call(self.helper("dynamic_properties"), [arg(receiver)])
        if name in ("is_saved", "has_key"):
            self.converted()
            if name == "is_saved":
                self.todo(
                    "is_saved() -> `e._has_complete_key()`: also true for an entity made with an id (key_name=, "
                    "id=, key=) before its first put(), where db said False; ndb does not track saving."
                )
            else:
                self.todo(
                    "has_key() -> `e._has_complete_key()`: the same truth value, but db returned the key name "
                    "(or None) for an unsaved entity instead of True/False."
                )
            return method(receiver, "_has_complete_key")
        return updated

    # -- entity methods used as values (callbacks) ---------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        self._callees: set = set()

    def visit_Call(self, node: cst.Call) -> None:
        self._callees.add(id(node.func))

    def leave_Attribute(self, original_node: cst.Attribute, updated_node):
        if id(original_node) in self._callees or original_node.attr.value != "delete":
            return updated_node
        owner = self.types.type_of(original_node.value)
        if isinstance(owner, EntityT) and (owner.model is None or self._legacy(owner.model)):
            self.converted()
            if self._never_put(original_node.value):
                # `Model(...).delete` (an assertRaises callback): db raised NotSavedError when it was called
                AddImportsVisitor.add_needed_import(self.context, "functools")
                return call(cst.parse_expression("functools.partial"), [arg(self.helper("delete")), arg(updated_node.value)])
            return attr(attr(updated_node.value, "key"), "delete")  # handed on as a callback: the key's delete
        return updated_node

    def _never_put(self, node: cst.BaseExpression) -> bool:
        """``Model(...)`` made here without a key: an entity that was never put."""
        if not isinstance(node, cst.Call) or not isinstance(self.types.type_of(node.func), ModelClassT):
            return False
        return not any(a.keyword is not None and a.keyword.value in ("key", "key_name", "id") for a in node.args)


#: ``_stored_keyword``'s answer for a keyword db ignored, dropped from the call
_IGNORED = object()


def _without_trailing_comma(args: list, before) -> list:
    """``args`` (some of ``before`` dropped) ending as ``before`` ended: no comma left dangling by a drop."""
    if args and before and args[-1] is not before[-1] and args[-1].comma != before[-1].comma:
        args[-1] = args[-1].with_changes(comma=before[-1].comma)
    return args
