"""DB005: keys."""

from __future__ import annotations

import libcst as cst

from codemods.analysis.types import EntityT, KeyT, ListT, QueryT
from codemods.framework.rule import Rule
from codemods.rules.db008_queries import is_reference
from codemods.rules._common import arg, as_keyword, attr, call, method, parenthesize, recall, short

_KEY_METHODS = {"name": "string_id", "id": "integer_id", "id_or_name": "id"}


class KeysRule(Rule):
    """DB005 keys: ``e.key()``, key accessors, ``Key.from_path``, and the legacy urlsafe format.

        k = e.key()                         k = e.key
        k.name(), k.id(), k.id_or_name()    k.string_id(), k.integer_id(), k.id()
        k.has_id_or_name()                  (k.id() is not None)
        k.namespace()                       (k.namespace() or '')
        db.Key.from_path('P', 1, 'C', 'x')  ndb.Key('P', 1, 'C', 'x')
        make(db.Key.from_path)              make(ndb_legacy.key_from_path)
        db.Key(encoded)                     ndb.Key(urlsafe=encoded)
        str(k)                              k.to_legacy_urlsafe('s~').decode()
        sorted(keys), keys.sort()           sorted(keys, key=ndb_legacy.key_order), keys.sort(key=ndb_legacy.key_order)
        k1 < k2                             ndb_legacy.key_order(k1) < ndb_legacy.key_order(k2)
        '/p/%s' % k, f'/p/{k}', '{}'.format(k)   (the same, inside the string)

    ``str(key)`` in db is the urlsafe string found in old URLs and stored
    strings; ndb's ``str(key)`` is a repr and ``key.urlsafe()`` drops the
    ``s~`` partition. ``to_legacy_urlsafe`` with the partition (CLI option
    ``--key-partition``, default ``s~``) reproduces the legacy string exactly,
    also where a key is formatted into a string (``%``, ``str.format``,
    f-strings; logging arguments are left alone).
    ``Key.from_path`` handed on as a value (its arguments unknown where it is
    handed on) becomes ``ndb_legacy.key_from_path``, which keeps legacy's
    checks (an id beyond 64 bits, an empty name: ndb.Key takes them and the
    RPC fails later). Methods are rewritten only where the receiver is known to be an entity or
    a key. ``e.key()`` raised NotSavedError on unsaved entities; ``e.key`` is
    None there.
    """

    TODOS = (
        "`db.Key()` with no or several arguments: build it with `ndb.Key(kind, id, parent=...)` or `ndb.Key(urlsafe=...)`.",
        "`key.app()`: ndb returns the project id without the `s~` partition prefix db had.",
    )
    ID = "DB005"
    TITLE = "keys: key() -> key, name()/id()/id_or_name(), Key.from_path, str(key), db.Key(s)"
    HANDLES = frozenset({"db.Key", "db.Key.from_path"})

    def visit_Module(self, node: cst.Module) -> None:
        self._callees: set = set()

    def visit_Call(self, node: cst.Call) -> None:
        self._callees.add(id(node.func))

    def leave_Attribute(self, original_node, updated_node):
        names = self.types.legacy_names(original_node)
        if "db.Key" in names and "db.Key.from_path" not in names:
            return self.ndb("Key")
        if "db.Key.from_path" in names and id(original_node) not in self._callees:
            # handed on as a key factory: its arguments are not known here, so legacy's checks run with them
            # (ndb.Key takes an id beyond 64 bits or an empty name and fails later, at the RPC)
            self.converted()
            return self.helper("key_from_path")
        return updated_node

    def leave_Name(self, original_node, updated_node):
        if "db.Key" in self.types.legacy_names(original_node):
            return self.ndb("Key")
        return updated_node

    # -- keys formatted into strings: the legacy urlsafe form, not ndb's repr --------------
    def _legacy_string(self, key: cst.BaseExpression, quote: str = "'") -> cst.BaseExpression:
        literal = cst.SimpleString(f"{quote}{self.options.key_partition}{quote}")
        return method(method(key, "to_legacy_urlsafe", [arg(literal)]), "decode")

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self._fstring_quotes = getattr(self, "_fstring_quotes", [])
        self._fstring_quotes.append(node.start[-1])

    def leave_FormattedString(self, original_node, updated_node):
        self._fstring_quotes.pop()
        return updated_node

    def _is_key(self, node) -> bool:
        found = self.types.type_of(node)
        return isinstance(found, KeyT) and found.legacy

    def leave_BinaryOperation(self, original_node: cst.BinaryOperation, updated_node):
        # '/post/%s' % key  and  '%s:%s' % (kind, key)
        if not isinstance(original_node.operator, cst.Modulo):
            return updated_node
        if not isinstance(original_node.left, (cst.SimpleString, cst.ConcatenatedString)):
            return updated_node
        right, new_right = original_node.right, updated_node.right
        if (isinstance(right, cst.Dict) and isinstance(new_right, cst.Dict)) or (
                isinstance(right, cst.Tuple) and isinstance(new_right, cst.Tuple)):
            # '%(key)s' % {'key': key}  and  '%s:%s' % (kind, key): each key operand
            elements, changed = [], False
            for old, new in zip(right.elements, new_right.elements):
                if getattr(old, "value", None) is not None and not isinstance(old, cst.StarredDictElement) \
                        and self._is_key(old.value):
                    new = new.with_changes(value=self._legacy_string(new.value))
                    changed = True
                elements.append(new)
            if changed:
                self.converted()
                return updated_node.with_changes(right=new_right.with_changes(elements=elements))
            return updated_node
        if self._is_key(right):
            self.converted()
            return updated_node.with_changes(right=self._legacy_string(new_right))
        return updated_node

    def leave_FormattedStringExpression(self, original_node, updated_node):
        # f'/post/{key}'
        if original_node.conversion not in (None, "s") or original_node.format_spec:
            return updated_node
        if self._is_key(original_node.expression):
            self.converted()
            quote = '"' if self._fstring_quotes and self._fstring_quotes[-1] == "'" else "'"
            return updated_node.with_changes(expression=self._legacy_string(updated_node.expression, quote), conversion=None)
        return updated_node

    def _format_call(self, original_node: cst.Call, updated_node: cst.Call):
        # '/post/{}'.format(key)
        out, changed = [], False
        for old, new in zip(original_node.args, updated_node.args):
            if not old.star and self._is_key(old.value):
                new = new.with_changes(value=self._legacy_string(new.value))
                changed = True
            out.append(new)
        if changed:
            self.converted()
            return updated_node.with_changes(args=out)
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        func = original_node.func
        if (isinstance(func, cst.Attribute) and func.attr.value == "format"
                and isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString))):
            return self._format_call(original_node, updated_node)
        names = self.types.legacy_names(func) if isinstance(func, (cst.Name, cst.Attribute)) else set()
        if "db.Key.from_path" in names:
            return self._from_path(original_node, updated_node)
        if "db.Key" in names:
            return self._key_ctor(original_node, updated_node)
        if isinstance(func, cst.Name) and func.value in ("sorted", "min", "max") and original_node.args \
                and self.keyword(original_node, "key") is None and self._keys(original_node.args[0].value):
            self.converted()  # db ordered ids before names; ndb keys mixing both raise TypeError
            args = list(updated_node.args)
            if isinstance(args[0].value, cst.GeneratorExp) and not args[0].value.lpar:
                args[0] = args[0].with_changes(value=parenthesize(args[0].value))  # sorted((k for ...), key=...)
            return updated_node.with_changes(args=[*args, arg(self.helper("key_order"), "key")])
        if isinstance(func, cst.Attribute) and func.attr.value == "sort" and not original_node.args \
                and isinstance(self.types.type_of(func.value), ListT) and self._keys(func.value):
            self.converted()
            return updated_node.with_changes(args=[arg(self.helper("key_order"), "key")])
        if isinstance(func, cst.Name) and func.value in ("str", "unicode") and len(original_node.args) == 1:
            if not self.types.qualnames(func) - {f"builtins.{func.value}", func.value}:
                if isinstance(self.types.type_of(original_node.args[0].value), KeyT) and not original_node.args[0].keyword:
                    self.converted()
                    key = updated_node.args[0].value
                    legacy = method(key, "to_legacy_urlsafe", [arg(cst.SimpleString(repr(self.options.key_partition)))])
                    return method(legacy, "decode")
            return updated_node
        if not isinstance(func, cst.Attribute) or not isinstance(updated_node.func, cst.Attribute):
            return updated_node
        name = func.attr.value
        receiver_type = self.types.type_of(func.value)
        receiver = updated_node.func.value
        if name == "key" and not original_node.args and isinstance(receiver_type, EntityT):
            if receiver_type.model is None or self._legacy_model(receiver_type.model):
                self.converted()
                if self._is_reference(func.value):
                    return receiver  # e.ref.key() is the stored key itself
                return attr(receiver, "key")
        if isinstance(receiver_type, KeyT) and receiver_type.legacy and not original_node.args:
            if name in _KEY_METHODS:
                self.converted()
                return method(receiver, _KEY_METHODS[name])
            if name == "has_id_or_name":
                self.converted()
                return parenthesize(cst.Comparison(
                    left=method(receiver, "id"),
                    comparisons=[cst.ComparisonTarget(operator=cst.IsNot(), comparator=cst.Name("None"))],
                ))
            if name == "namespace":
                self.converted()  # db's default namespace is '', ndb's None
                return parenthesize(cst.BooleanOperation(
                    left=method(receiver, "namespace"), operator=cst.Or(), right=cst.SimpleString("''")))
            if name == "app":
                self.todo("key.app(): ndb returns the project id without the partition prefix (`s~`) db included.")
                return updated_node
            if name == "to_path":
                self.converted()
                return call(cst.Name("list"), [arg(method(receiver, "flat"))])
        return updated_node

    def leave_Comparison(self, original_node: cst.Comparison, updated_node):
        # k1 < k2: db ordered keys (ids before names); ndb compares tuples and raises for an id against a name
        if len(original_node.comparisons) != 1 or not isinstance(
                original_node.comparisons[0].operator, (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)):
            return updated_node
        if not (self._is_key(original_node.left) and self._is_key(original_node.comparisons[0].comparator)):
            return updated_node
        self.converted()
        order = self.helper("key_order")
        target = updated_node.comparisons[0]
        return updated_node.with_changes(
            left=call(order, [arg(updated_node.left)]),
            comparisons=[target.with_changes(comparator=call(order, [arg(target.comparator)]))])

    def _keys(self, node) -> bool:
        """A list of legacy keys, or a keys-only query (its results are keys)."""
        found = self.types.type_of(node)
        if isinstance(found, QueryT):
            return found.keys_only
        return isinstance(found, ListT) and isinstance(found.item, KeyT) and found.item.legacy

    def _legacy_model(self, qualname: str) -> bool:
        model = self.types.model(qualname)
        return model is not None and model.is_legacy

    def _is_reference(self, node) -> bool:
        return is_reference(self.types, node)

    def _from_path(self, original: cst.Call, updated: cst.Call):
        out = []
        for item in updated.args:
            if item.keyword is not None and item.keyword.value == "_app":
                item = as_keyword(item, "app")
            out.append(item)
        self.converted()
        return recall(updated, self.ndb("Key"), out)

    def _key_ctor(self, original: cst.Call, updated: cst.Call):
        args = updated.args
        if len(args) == 1 and not args[0].star and (args[0].keyword is None or args[0].keyword.value == "encoded"):
            self.converted()
            return recall(updated, self.ndb("Key"), [as_keyword(args[0], "urlsafe")])
        self.todo(f"`{short(original)}`: build the key with ndb.Key(kind, id, parent=...) or ndb.Key(urlsafe=...).")
        return updated.with_changes(func=original.func)
