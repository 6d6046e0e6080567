"""DB004: legacy value types (db.Text, db.Email, db.GeoPt, ...)."""

from __future__ import annotations

import libcst as cst

from codemods.analysis.types import EntityT
from codemods.framework.rule import Rule
from codemods.rules._common import call, short

_UNWRAP = {"db.Text", "db.Blob", "db.ByteString", "db.Email", "db.Link", "db.Category",
           "db.PhoneNumber", "db.PostalAddress", "db.Rating"}
#: value types the runtime helper has (its properties read values back as these)
_HELPER_TYPES = {"db.Email": "Email", "db.Link": "Link", "db.Category": "Category", "db.PhoneNumber": "PhoneNumber",
                 "db.PostalAddress": "PostalAddress", "db.Rating": "Rating", "db.IM": "IM"}
_BUILTIN = {"db.Text": "str", "db.Email": "str", "db.Link": "str", "db.Category": "str",
            "db.PhoneNumber": "str", "db.PostalAddress": "str", "db.Blob": "bytes",
            "db.ByteString": "bytes", "db.Rating": "int"}


class ValueTypesRule(Rule):
    """DB004 value types: db.Text / db.Blob / db.Email / ... wrappers become plain values.

        e.body = db.Text(text)                   e.body = text
        bag.note = db.Text(text)  (Expando)      bag.note = ndb_legacy.Text(text)
        post.body = db.Text(text) (StringProperty)
                                                 post.body = ndb_legacy.Text(text)
        e.mail = db.Email(address)               e.mail = address
        e.where = db.GeoPt(35.6, 139.7)          e.where = ndb_legacy.GeoPt(35.6, 139.7)
        e.im = db.IM('xmpp', 'a@b.c')             e.im = ndb_legacy.IM('xmpp', 'a@b.c')

    The properties DB003 emits store them with db's meanings. A ``db.Text``
    assigned to a dynamic attribute of an Expando or to a StringProperty
    (``indexed=False``) becomes ``ndb_legacy.Text``: there the value's type
    decides how it is stored (unindexed, meaning 15, as db stored it).
    ``ndb_legacy.GeoPt`` is ndb's GeoPt that also answers ``lat`` / ``lon``
    and ``ndb_legacy.IM`` a ``str`` with ``protocol`` / ``address``, as db's
    were, and Email, Link, Category, PhoneNumber, PostalAddress and Rating
    values read back as the helper's ``str`` / ``int`` subclasses of those
    names, so ``isinstance(x, db.Email)`` becomes
    ``isinstance(x, ndb_legacy.Email)``. Type checks such as
    ``isinstance(x, db.Text)`` (every ``str`` would now match) get a TODO.
    """

    TODOS = (
        "`isinstance(x, db.Text)` and other checks against a value type: every `str` (or `bytes`, `int`) matches now; rewrite the check.",
        "A value type called with several arguments: pass the plain value ndb stores.",
    )
    ID = "DB004"
    TITLE = "value wrappers db.Text / db.Blob / db.Email / ... / db.GeoPt"
    HANDLES = frozenset(_UNWRAP | {"db.GeoPt", "db.IM"})

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        names = self.types.legacy_names(original_node.func)
        if "db.GeoPt" in names or "db.IM" in names:
            self.converted()  # lat/lon, "lat,lon" strings; IM(protocol, address): the helper's value types
            return updated_node.with_changes(func=self.helper("GeoPt" if "db.GeoPt" in names else "IM"))
        hit = names & _UNWRAP
        if not hit:
            return updated_node
        args = updated_node.args
        if "db.Text" in hit and len(args) == 1 and self._typed_by_value(original_node):
            self.converted()  # the value's type says how it is stored (unindexed, meaning 15)
            return updated_node.with_changes(func=self.helper("Text"))
        if len(args) == 1 and args[0].keyword is None and not args[0].star:
            self.converted()
            value = args[0].value
            if original_node.lpar:
                value = value.with_changes(lpar=original_node.lpar, rpar=original_node.rpar)
            return value
        if not args:
            self.converted()
            return call(cst.Name(_BUILTIN[next(iter(hit))]))
        self.todo(f"`{short(original_node)}`: pass the plain value (ndb has no {next(iter(hit))} type).")
        return updated_node

    def _typed_by_value(self, value: cst.Call) -> bool:
        """``e.attr = <value>`` / ``Model(attr=<value>)``: a dynamic Expando attribute or a StringProperty.

        There db stored a ``db.Text`` value unindexed with meaning 15 (where
        a TextProperty always does).
        """
        parent = self.types.parents.get(value)
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Attribute):
            target = parent.targets[0].target
            owner = self.types.type_of(target.value)
            model = self.types.model(owner.model) if isinstance(owner, EntityT) else None
            name = target.attr.value
        elif isinstance(parent, cst.Arg) and parent.keyword is not None:
            holder = self.types.parents.get(parent)
            model = self.types.model_class(holder.func) if isinstance(holder, cst.Call) else None
            name = parent.keyword.value
        else:
            return False
        if model is None:
            return False
        prop = model.properties.get(name) if isinstance(parent, cst.Assign) else model.property_by_stored_name(name)
        if prop is None:
            return model.is_expando
        return prop.ctor == "db.StringProperty"

    def leave_Attribute(self, original_node, updated_node):
        return self._bare(original_node, updated_node)

    def leave_Name(self, original_node, updated_node):
        return self._bare(original_node, updated_node)

    def visit_Module(self, node: cst.Module) -> None:
        self._callees: set = set()

    def _bare(self, original_node, updated_node):
        names = self.types.legacy_names(original_node)
        if "db.GeoPt" in names:
            self.converted()
            return self.helper("GeoPt")
        if id(original_node) in self._callees:
            return updated_node
        for name in names & set(_HELPER_TYPES):
            self.converted()  # isinstance(x, db.Email): the helper's value type, what the property reads back
            return self.helper(_HELPER_TYPES[name])
        return updated_node

    def visit_Call(self, node: cst.Call) -> None:
        self._callees.add(id(node.func))
        # isinstance(x, db.Text) and friends: every str would match now
        if isinstance(node.func, cst.Name) and node.func.value in ("isinstance", "issubclass") and len(node.args) == 2:
            names = self.types.legacy_names(node.args[1].value) & (_UNWRAP - set(_HELPER_TYPES))
            if names:
                name = next(iter(names))
                self.todo(f"`{name}` as a type: ndb values are plain {_BUILTIN.get(name, 'str')}; rewrite the check.")
