"""DB003: property constructors."""

from __future__ import annotations

from typing import List, Optional

import libcst as cst
from libcst.metadata import Assignment

from codemods.framework.rule import Rule
from codemods.rules._common import arg, as_keyword, is_none, recall, short

#: legacy property -> the ndb property (``ndb.X``) or the runtime helper's (``ndb_legacy.X``) that behaves like it
_SIMPLE = {
    "StringProperty": "ndb_legacy.StringProperty",  # single-line, 1500 characters, str only, indexed=False
    "TextProperty": "ndb_legacy.TextProperty",  # meaning 15
    "BlobProperty": "ndb.BlobProperty",
    "IntegerProperty": "ndb_legacy.IntegerProperty",  # 64-bit bounds, no bools
    "FloatProperty": "ndb_legacy.FloatProperty",  # ints refused
    "BooleanProperty": "ndb.BooleanProperty",
    "DateTimeProperty": "ndb_legacy.DateTimeProperty",  # aware values -> naive UTC; auto_now before put()
    "DateProperty": "ndb_legacy.DateProperty",  # datetimes refused
    "TimeProperty": "ndb.TimeProperty",
    "GeoPtProperty": "ndb_legacy.GeoPtProperty",  # "lat,lon" strings
    "UserProperty": "ndb.UserProperty",
    "EmailProperty": "ndb_legacy.EmailProperty",
    "LinkProperty": "ndb_legacy.LinkProperty",
    "URLProperty": "ndb_legacy.LinkProperty",
    "CategoryProperty": "ndb_legacy.CategoryProperty",
    "PhoneNumberProperty": "ndb_legacy.PhoneNumberProperty",
    "PostalAddressProperty": "ndb_legacy.PostalAddressProperty",
    "IMProperty": "ndb_legacy.IMProperty",
    "RatingProperty": "ndb_legacy.RatingProperty",
    "ByteStringProperty": "ndb.BlobProperty",
}
#: ListProperty item type (canonical or builtin) -> what ``ndb_legacy.ListProperty`` takes for it
_ITEM_TYPES = {
    "int": "int", "long": "int", "float": "float", "bool": "bool", "str": "str", "unicode": "str",
    "basestring": "str", "bytes": "bytes",
    "db.Text": "ndb_legacy.TextProperty", "db.Blob": "bytes", "db.ByteString": "bytes",
    "db.Key": "ndb.Key", "ndb.Key": "ndb.Key", "db.GeoPt": "ndb_legacy.GeoPt",
    "db.Email": "ndb_legacy.EmailProperty", "db.Link": "ndb_legacy.LinkProperty",
    "db.Category": "ndb_legacy.CategoryProperty", "db.PhoneNumber": "ndb_legacy.PhoneNumberProperty",
    "db.PostalAddress": "ndb_legacy.PostalAddressProperty", "db.IM": "ndb_legacy.IMProperty",
    "db.Rating": "ndb_legacy.RatingProperty", "users.User": "ndb.User",
    "datetime.datetime": "datetime.datetime", "datetime.date": "datetime.date", "datetime.time": "datetime.time",
}
_UNINDEXED_ONLY = {"TextProperty", "BlobProperty"}
#: compat.tz options of the shim's date/time properties (code migrated --to compat earlier)
_COMPAT_TZ_OPTIONS = {"naive", "stored_as", "migration_marker", "migrate_writes"}
#: options a db property exposes as attributes -> ndb's private attribute for the same option
_PROPERTY_OPTIONS = {"verbose_name": "_verbose_name", "name": "_name", "required": "_required",
                     "default": "_default", "choices": "_choices", "indexed": "_indexed"}
_LEGACY_METHODS = ("validate", "get_value_for_datastore", "make_value_from_datastore", "default_value", "empty")


def _short(dotted: str) -> str:
    """``ndb_legacy.TextProperty`` -> ``TextProperty``."""
    return dotted.rpartition(".")[2]


class PropertiesRule(Rule):
    """DB003 properties: every legacy property type and its options, stored and validated as db did.

        title = db.StringProperty('Title', multiline=True)   title = ndb_legacy.StringProperty(verbose_name='Title', multiline=True)
        name = db.StringProperty(required=True)              name = ndb_legacy.StringProperty(required=True)
        body = db.StringProperty(indexed=False)              body = ndb_legacy.StringProperty(indexed=False)
        text = db.TextProperty()                             text = ndb_legacy.TextProperty()
        n = db.IntegerProperty()                             n = ndb_legacy.IntegerProperty()
        mail = db.EmailProperty()                            mail = ndb_legacy.EmailProperty()
        stars = db.RatingProperty()                          stars = ndb_legacy.RatingProperty()
        at = db.DateTimeProperty(auto_now_add=True)          at = ndb_legacy.DateTimeProperty(auto_now_add=True)
        tags = db.StringListProperty(default=['a'])          tags = ndb_legacy.StringListProperty(default=['a'])
        ids = db.ListProperty(int, required=True)            ids = ndb_legacy.ListProperty(int, required=True)
        refs = db.ListProperty(db.Key)                       refs = ndb_legacy.ListProperty(ndb.Key)
        raw = db.ByteStringProperty()                        raw = ndb.BlobProperty(indexed=True)
        post = db.ReferenceProperty(Post, collection_name='comments')
                                                             post = ndb_legacy.ReferenceProperty(kind=Post)
        parent = db.SelfReferenceProperty()                  parent = ndb_legacy.ReferenceProperty(kind='Category')
        slug = db.StringProperty(validator=check_slug)       slug = ndb_legacy.StringProperty(validator=lambda prop, value: check_slug(value))
        Post.title.verbose_name                              Post.title._verbose_name

    Where plain ndb behaves like db the output is plain ndb (Float, Boolean,
    Time, Blob, User, multi-line strings). Where it does not, the
    property comes from ``compat.ndb_legacy``, a small runtime helper of
    ndb property subclasses (docs/codemods.md, "The runtime helper"):
    single-line strings refuse newlines as db did; integers keep db's 64-bit
    bounds and refuse bools; Rating keeps 0-100; Email, Link, Category,
    PhoneNumber, PostalAddress and IM check their values and are stored with
    db's meanings, as is Text (meaning 15); DateProperty refuses datetimes;
    DateTimeProperty stores aware values of any zone as UTC and reads back
    naive UTC (plain ndb raises BadValueError), and its ``auto_now`` values
    exist before the first ``put()``; GeoPt takes ``"lat,lon"`` strings;
    a reference (a KeyProperty) takes keys of any kind and entities (their
    keys; KindError for another class) and raises AttributeError for other
    values, as db did.
    Lists keep db's ``default=`` (copied per entity) and ``required=`` (ndb's
    ``repeated=True`` refuses both: the module would not import), and an
    empty list is not written, as db wrote none (ndb writes ``[]``).

    db's first positional argument is ``verbose_name``, ndb's is the stored
    ``name``: copying it unchanged would rename the stored property, so it
    becomes ``verbose_name=``. ``ndb_legacy.StringProperty`` keeps db's
    ``multiline=`` and ``indexed=False`` (ndb's StringProperty refuses it),
    refuses ``bytes`` and counts the 1500 limit in characters, as db did. ndb validators
    are called as ``validator(prop, value)`` and a non-None result replaces
    the value: a validator that is a one-argument function of this module
    that never returns a value is wrapped; anything else gets a TODO.
    ``blobstore.BlobReferenceProperty`` becomes ``BlobKeyProperty``.
    ``required=True`` is kept, but ndb checks it at ``put()`` ("Entity has
    uninitialized properties") where db raised in the constructor. On code
    already moved to the shim, compat.db's ``DateTimeProperty(tzinfo=...)``
    keeps its zone (ndb's ``tzinfo=``: values read back aware).
    App-defined property subclasses get a TODO (ndb uses ``_validate`` /
    ``_to_base_type`` / ``_from_base_type``).
    """

    TODOS = (
        "A validator that is not a one-argument function of the module that returns nothing: ndb calls "
        "`validator(prop, value)` and stores a non-None result in place of the value; adapt the signature.",
        "A ListProperty whose item type is not a literal type (a variable): pass the type or an ndb property "
        "class to `ndb_legacy.ListProperty`.",
        "`auto_current_user` / `auto_current_user_add`: not supported by ndb; set the user in code.",
        "More positional arguments than db allowed: convert by hand.",
        "`indexed=` that is not a literal on a TextProperty / BlobProperty: db stored them unindexed whatever it said.",
        "A custom property class (subclass of a db property): ndb properties override `_validate`, "
        "`_to_base_type` and `_from_base_type`.",
        "compat.tz options on the shim's date/time properties (`naive=`, `stored_as=`, `migration_marker=`, "
        "`migrate_writes=`, `tzinfo=` on Date/TimeProperty): finish the migration to UTC and drop them.",
        "`tzinfo=` together with `auto_now` / `auto_now_add`: ndb leaves a naive `utcnow()` on the instance "
        "until it is reloaded (python-ndb #517).",
    )
    ID = "DB003"
    TITLE = "property constructors and options (verbose_name, multiline, indexed, lists, references)"
    HANDLES = frozenset(
        {f"db.{name}" for name in _SIMPLE}
        | {"db.ListProperty", "db.StringListProperty", "db.ReferenceProperty", "db.Reference",
           "db.SelfReferenceProperty", "db.SelfReference", "db.ComputedProperty", "db.Property"}
    )

    def __init__(self, context, options=None) -> None:
        super().__init__(context, options)
        self._classes: List = []
        self._callees: set = set()

    def visit_Module(self, node: cst.Module) -> None:
        # per file: the rule instance is reused for every file of a run, and ids of freed nodes come back
        self._classes = []
        self._callees = set()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(self.types.model_of_classdef(node) if not self._classes else None)
        for base in node.bases:
            names = self.types.legacy_names(base.value)
            if any(n.startswith("db.") and n.endswith("Property") for n in names):
                self.todo(
                    f"custom property class {node.name.value}: ndb properties override `_validate`, "
                    "`_to_base_type` and `_from_base_type` instead of `validate` / `get_value_for_datastore` / "
                    "`make_value_from_datastore`."
                )
                break

    def leave_ClassDef(self, original_node, updated_node):
        self._classes.pop()
        return updated_node

    # bare references (isinstance checks, base classes of custom properties)
    def leave_Attribute(self, original_node, updated_node):
        option = self._property_option(original_node)
        if option is not None:
            self.converted()  # Model.title.verbose_name -> Model.title._verbose_name
            return updated_node.with_changes(attr=cst.Name(option))
        return self._rename(original_node, updated_node)

    def _property_option(self, node: cst.Attribute):
        """``Model.prop.<option>`` (verbose_name, name, required ...): ndb's attribute of that option."""
        option = _PROPERTY_OPTIONS.get(node.attr.value)
        holder = node.value
        if option is None or not isinstance(holder, cst.Attribute):
            return None
        model = self.types.model_class(holder.value)
        if model is None or not model.is_legacy or holder.attr.value not in model.properties:
            return None
        return option

    def leave_Name(self, original_node, updated_node):
        return self._rename(original_node, updated_node)

    def visit_Call(self, node: cst.Call) -> None:
        self._callees.add(id(node.func))  # constructors are rewritten whole in leave_Call

    def _rename(self, original_node, updated_node):
        if id(original_node) in self._callees:
            return updated_node
        for name in self.types.legacy_names(original_node):
            short_name = name[3:] if name.startswith("db.") else None
            if short_name in _SIMPLE and _SIMPLE[short_name].endswith("." + short_name) \
                    or short_name in ("ComputedProperty", "Property"):
                return self.ndb(short_name)  # isinstance checks, bases: ndb's class (the helper's derive from it)
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        names = self.types.legacy_names(original_node.func)
        legacy = next((n[3:] for n in names if n.startswith("db.") and n in self.HANDLES), None)
        if legacy is None and "blobstore.BlobReferenceProperty" in names:
            legacy = "blobstore.BlobReferenceProperty"
        if legacy is None:
            return updated_node
        args = list(updated_node.args)
        self._updated = updated_node
        if any(a.star for a in args):
            self.todo(f"`{short(original_node)}`: convert the arguments by hand (db's first positional argument is verbose_name, ndb's is name).")
            return updated_node
        if legacy in _SIMPLE:
            return self._simple(legacy, original_node, args)
        if legacy in ("ListProperty", "StringListProperty"):
            return self._list(legacy, original_node, args)
        if legacy in ("ReferenceProperty", "Reference"):
            return self._reference(original_node, args)
        if legacy in ("SelfReferenceProperty", "SelfReference"):
            return self._self_reference(original_node, args)
        if legacy == "blobstore.BlobReferenceProperty":
            return self._simple_as(original_node, args, "BlobKeyProperty")
        if legacy == "ComputedProperty":
            self.converted()
            return recall(updated_node, self.ndb("ComputedProperty"), args)
        return updated_node

    # -- the kinds of properties ----------------------------------------------------
    def _simple(self, legacy: str, original: cst.Call, args: List[cst.Arg]):
        target = _SIMPLE[legacy]
        out: List[cst.Arg] = []
        positional = [a for a in args if a.keyword is None]
        if len(positional) > 1:
            self.todo(f"`{short(original)}`: more than one positional argument; pass them by keyword.")
            return self._keep(original, args)
        if positional:
            out.append(as_keyword(positional[0], "verbose_name"))
        for item in args:
            if item.keyword is None:
                continue
            key = item.keyword.value
            if key == "multiline":
                if legacy == "StringProperty" and not (isinstance(item.value, cst.Name) and item.value.value == "False"):
                    out.append(item)  # ndb_legacy.StringProperty(multiline=...) checks newlines as db did
                continue
            if key == "indexed":
                literal = isinstance(item.value, cst.Name) and item.value.value in ("False", "True")
                if _short(target) in _UNINDEXED_ONLY:
                    if not literal:
                        self.todo(f"`{short(original)}`: `indexed=` is not a literal; db stored {legacy} values "
                                  "unindexed whatever it said, and so does ndb.")
                    continue
                if literal and isinstance(item.value, cst.Name) and item.value.value == "True":
                    continue  # the default
            if key == "validator":
                checked = self._validator(original, item)
                if checked is None:
                    return self._keep(original, args)
                item = checked
            if key in _COMPAT_TZ_OPTIONS or (key == "tzinfo" and legacy != "DateTimeProperty"):
                self.todo(
                    f"`{key}=` is a compat.tz extension ndb lacks: finish the data migration to UTC "
                    "(compat-tz-migrate, docs/timezones.md) and drop it; ndb's DateTimeProperty takes only `tzinfo=`."
                )
                return self._keep(original, args)
            if key in ("auto_current_user", "auto_current_user_add"):
                self.todo(f"`{short(original)}`: ndb UserProperty cannot fill in the current user; set it in code.")
                return self._keep(original, args)
            out.append(item)
        keywords = {a.keyword.value for a in args if a.keyword is not None}
        if "tzinfo" in keywords and keywords & {"auto_now", "auto_now_add"}:
            self.todo(
                "with tzinfo=, ndb's auto_now/auto_now_add leave a naive utcnow() value on the instance until it "
                "is reloaded (python-ndb #517): do not compare it with aware datetimes before a reload."
            )
        if "tzinfo" in keywords and legacy == "DateTimeProperty":
            target = "ndb.DateTimeProperty"  # the shim's aware mode: ndb's own tzinfo= (aware values back)
        if legacy == "ByteStringProperty":
            out.append(arg(cst.Name("True"), "indexed"))
        self.converted()
        return recall(self._updated, self.target(target), out)

    def _simple_as(self, original: cst.Call, args: List[cst.Arg], target: str):
        positional = [a for a in args if a.keyword is None]
        if len(positional) > 1:
            return self._keep(original, args)
        out = [as_keyword(positional[0], "verbose_name")] if positional else []
        out.extend(a for a in args if a.keyword is not None)
        self.converted()
        return recall(self._updated, self.ndb(target), out)

    def _list(self, legacy: str, original: cst.Call, args: List[cst.Arg]):
        """``ListProperty(T, ...)`` -> ``ndb_legacy.ListProperty(T, ...)``: db's defaults, required and empty lists.

        ndb's ``repeated=True`` refuses ``default=`` and ``required=`` (the
        module would not import) and writes ``[]`` where db wrote nothing.
        """
        positional = [a for a in args if a.keyword is None]
        keywords = [a for a in args if a.keyword is not None]
        out: List[cst.Arg] = []
        if legacy == "ListProperty":
            item_arg = positional[0] if positional else next(
                (a for a in keywords if a.keyword is not None and a.keyword.value == "item_type"), None)
            if item_arg is None:
                return self._keep(original, args)
            item_type = self._item_type(original, item_arg)
            if item_type is None:
                self.todo(f"`{short(original)}`: unknown item type; use ndb_legacy.ListProperty(<type or ndb property class>).")
                return self._keep(original, args)
            if item_type in ("int", "float", "bool", "str", "bytes") or item_type.startswith("datetime."):
                item_value = (item_arg.value if _is_plain_type(item_arg.value, item_type)
                              else cst.parse_expression(item_type))
            else:
                item_value = self.target(item_type)
            out.append(cst.Arg(value=item_value))
            rest = positional[1:]
        else:
            rest = positional
        if len(rest) > 1:
            return self._keep(original, args)
        if rest:
            out.append(rest[0])  # verbose_name, positional in both
        for item in keywords:
            key = cst.ensure_type(item.keyword, cst.Name).value  # a keyword argument
            if key == "item_type":
                continue
            if key == "default" and (is_none(item.value) or (isinstance(item.value, cst.List) and not item.value.elements)):
                continue
            if key == "required" and isinstance(item.value, cst.Name) and item.value.value == "False":
                continue
            if key == "validator":
                self.todo(f"`{short(original)}`: ndb calls list validators once per item as validator(prop, item).")
                return self._keep(original, args)
            out.append(item)
        self.converted()
        name = "ListProperty" if legacy == "ListProperty" else "StringListProperty"
        return recall(self._updated, self.helper(name), out)

    def _item_type(self, original: cst.Call, item_arg: cst.Arg) -> Optional[str]:
        original_arg = next((a for a in original.args if a.keyword is None), None) if item_arg.keyword is None else self.keyword(original, "item_type")
        node = original_arg.value if original_arg is not None else item_arg.value
        if isinstance(node, cst.Name) and node.value in _ITEM_TYPES and not self.types.qualnames(node) - {node.value, f"builtins.{node.value}"}:
            return _ITEM_TYPES[node.value]
        for name in self.types.legacy_names(node) | self.types.qualnames(node):
            if name in _ITEM_TYPES:
                return _ITEM_TYPES[name]
        return None

    def _reference(self, original: cst.Call, args: List[cst.Arg]):
        positional = [a for a in args if a.keyword is None]
        out: List[cst.Arg] = []
        if len(positional) > 2:
            return self._keep(original, args)
        ref = positional[0] if positional else next((a for a in args if a.keyword and a.keyword.value == "reference_class"), None)
        if ref is not None and not is_none(ref.value):
            out.append(as_keyword(ref, "kind"))
        if len(positional) > 1:
            out.append(as_keyword(positional[1], "verbose_name"))
        for item in args:
            if item.keyword is None or item.keyword.value in ("reference_class", "collection_name"):
                continue
            if item.keyword.value == "validator":
                checked = self._validator(original, item)
                if checked is None:
                    return self._keep(original, args)
                item = checked
            out.append(item)
        self.converted()
        return recall(self._updated, self.helper("ReferenceProperty"), out)

    def _self_reference(self, original: cst.Call, args: List[cst.Arg]):
        model = self._classes[-1] if self._classes else None
        if model is None:
            self.todo(f"`{short(original)}`: SelfReferenceProperty outside a model class; use ndb_legacy.ReferenceProperty(kind='<Kind>').")
            return self._keep(original, args)
        out = [arg(cst.SimpleString(repr(model.kind)), "kind")]
        positional = [a for a in args if a.keyword is None]
        if len(positional) > 1:
            return self._keep(original, args)
        if positional:
            out.append(as_keyword(positional[0], "verbose_name"))
        for item in args:
            if item.keyword is None or item.keyword.value == "collection_name":
                continue
            out.append(item)
        self.converted()
        return recall(self._updated, self.helper("ReferenceProperty"), out)

    # -- validators -----------------------------------------------------------------
    def _validator(self, original: cst.Call, item: cst.Arg) -> Optional[cst.Arg]:
        original_arg = self.keyword(original, "validator")
        node = original_arg.value if original_arg is not None else None
        if isinstance(node, cst.Name) and self._plain_validator(node):
            self.converted()
            lam = cst.parse_expression(f"lambda prop, value: {node.value}(value)")
            return item.with_changes(value=lam)
        self.todo(
            f"`validator={short(item.value, 30)}`: ndb calls validator(prop, value) and stores a non-None "
            "result instead of the value; adapt the signature."
        )
        return None

    def _plain_validator(self, name: cst.Name) -> bool:
        """A module function with one parameter that never returns a value."""
        scope = self.types.scopes.get(name)
        if scope is None or name.value not in scope:
            return False
        assignments = list(scope[name.value])
        if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
            return False
        func = assignments[0].node
        if not isinstance(func, cst.FunctionDef):
            return False
        params = func.params
        if len(params.params) != 1 or params.star_arg is not cst.MaybeSentinel.DEFAULT and params.star_arg is not None:
            if len(params.params) != 1:
                return False
        finder = _ValueReturnFinder()
        func.body.visit(finder)
        return not finder.found

    def _keep(self, original: cst.Call, args: List[cst.Arg]):
        """Leave the legacy call (DB001 keeps it working on the shim)."""
        return cst.Call(func=original.func, args=args, lpar=original.lpar, rpar=original.rpar,
                        whitespace_after_func=original.whitespace_after_func,
                        whitespace_before_args=original.whitespace_before_args)


def _is_plain_type(node: cst.BaseExpression, item_type: str) -> bool:
    """``int`` / ``datetime.datetime`` written as the target spells it (``long``, ``unicode`` are not)."""
    return cst.Module(body=[]).code_for_node(node) == item_type


class _ValueReturnFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None and not is_none(node.value):
            self.found = True

    def visit_FunctionDef(self, node) -> bool:
        return False

    def visit_Lambda(self, node) -> bool:
        return False
