"""DB002: model base classes and the class-level model API."""

from __future__ import annotations

from typing import Any, List

import libcst as cst

from codemods.framework.rule import Rule

_BASES = {"db.Model": "ndb.Model", "db.Expando": "ndb_legacy.Expando", "db.polymodel.PolyModel": "ndb.PolyModel"}

#: legacy constructor keywords -> ndb's
_INIT_KEYWORDS = {"key_name": "id", "_app": "app"}

#: db.Model.__init__'s positional parameters (after self), as ndb keywords; None: ndb has no such parameter
_INIT_POSITIONAL = ("parent", "id", "app", None)  # parent, key_name, _app, _from_entity

_OVERRIDE_ADVICE = {
    "__init__": "ndb calls `__init__()` with no arguments when it loads an entity (db passed the stored "
    "values as keywords), so what this override computes from its keywords happens for new entities only.",
    "put": "`ndb.put_multi()` does not call this `put()` override; consider `_pre_put_hook` / `_post_put_hook`.",
    "get": "ndb models have no `Model.get()`; calls of this override are kept, check its body.",
    "delete": "ndb deletes through `entity.key.delete()`, which does not call this `delete()` override; "
    "consider `_pre_delete_hook`.",
}


#: legacy private hooks overridden by apps, and what ndb offers instead
_PRIVATE_HOOKS = {
    "_populate_internal_entity": "its code no longer runs on put(); move it to `_pre_put_hook(self)`.",
    "_to_entity": "its code no longer runs on put(); move it to `_pre_put_hook(self)`.",
    "_populate_entity": "its code no longer runs on put(); move it to `_pre_put_hook(self)`.",
    "from_entity": "ndb builds loaded entities itself; move the code to `_post_get_hook` (key.get()) or a "
                   "classmethod your queries call.",
}


class _RenameInitKeywords(cst.CSTTransformer):
    """Rename db constructor keywords to ndb's in an ``__init__`` override: parameters, their uses, keywords."""

    def __init__(self, renames) -> None:
        super().__init__()
        self.renames = renames
        self.legacy_keywords = dict(_INIT_KEYWORDS)

    def visit_Attribute(self, node) -> bool:
        node.value.visit(self)  # never the attribute name after the dot
        return False

    def leave_Attribute(self, original_node, updated_node):
        return updated_node.with_changes(value=original_node.value.visit(self))

    def leave_Param(self, original_node, updated_node):
        new = self.renames.get(original_node.name.value)
        return updated_node.with_changes(name=cst.Name(new)) if new else updated_node

    def leave_Name(self, original_node, updated_node):
        new = self.renames.get(original_node.value)
        return updated_node.with_changes(value=new) if new else updated_node

    def leave_Arg(self, original_node, updated_node):
        if original_node.keyword is not None and original_node.keyword.value in self.legacy_keywords:
            return updated_node.with_changes(keyword=cst.Name(self.legacy_keywords[original_node.keyword.value]))
        return updated_node


class ModelClassesRule(Rule):
    """DB002 models: ``db.Model`` / ``db.Expando`` / ``PolyModel`` bases and class-level API.

        class Post(db.Model):                      class Post(ndb.Model):
            @classmethod                               @classmethod
            def kind(cls): return 'BlogPost'           def _get_kind(cls): return 'BlogPost'

        class Animal(polymodel.PolyModel): ...     class Animal(ndb.PolyModel): ...
        class Bag(db.Expando): ...                 class Bag(ndb_legacy.Expando): ...

    Both PolyModels store the ``class`` list property, so existing data stays
    readable. Expando models extend ``ndb_legacy.Expando``: ndb's Expando
    keeps the old value when a dynamic attribute is assigned again, reads
    keys and datetimes back as other types, and stores ``db.Text`` values
    as indexed strings (see docs/codemods.md, "The runtime helper").
    ``class_name()`` overrides become ``_class_name()``; such a PolyModel
    class also declares ``class_ = ndb_legacy.ClassNamesProperty()``: db
    stored the classes' ``__name__``s in the ``class`` list (its queries and
    loads went by ``class_name()``), ndb would store the overridden names. An
    ``__init__`` override gets ndb's keywords (``key_name`` -> ``id``,
    ``_app`` -> ``app``, in its parameters and in the call of the base
    ``__init__``) and a TODO: ndb calls it with no arguments when it loads
    an entity. Overrides of ``put``, ``get`` or ``delete`` and of db's
    private hooks (``_populate_internal_entity``, ``_to_entity``) get a TODO
    saying what no longer runs: ndb's batch functions do not call them.

        def __init__(self, parent=None, key_name=None, **kw):
            db.Model.__init__(self, parent=parent, key_name=key_name, **kw)
                                        def __init__(self, parent=None, id=None, **kw):
                                            ndb.Model.__init__(self, parent=parent, id=id, **kw)
    """

    TODOS = (
        "`__init__` override (its `key_name=` / `_app=` become `id=` / `app=`): ndb calls `__init__()` with no "
        "arguments when it loads an entity, where db passed the stored values; logic computed from the "
        "keywords runs for new entities only.",
        "An override of a private db hook (`_populate_internal_entity`, `_to_entity`, `from_entity`): ndb never "
        "calls it; move the code to `_pre_put_hook` / `_post_get_hook`.",
        "`put` override: `ndb.put_multi()` does not call it; move the logic to `_pre_put_hook` / `_post_put_hook`.",
        "`get` override: ndb has no `Model.get`; calls of the override are kept, check its body.",
        "`delete` override: `entity.key.delete()` does not call it; use `_pre_delete_hook`.",
    )
    ID = "DB002"
    TITLE = "model base classes, kind() / class_name() overrides, risky overrides"
    HANDLES = frozenset(_BASES)

    def __init__(self, context, options=None) -> None:
        super().__init__(context, options)
        self._classes: List[Any] = []  # the ModelInfo of each enclosing class (None: not a model)
        self._functions: List[str] = []
        self._class_name_overridden: List[bool] = []  # per class being visited: a class_name() override was renamed

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        model = self.types.model_of_classdef(node) if not self._classes else None
        self._classes.append(model)  # overrides are flagged in leave_FunctionDef, on the method itself
        self._class_name_overridden.append(False)

    def leave_ClassDef(self, original_node, updated_node):
        model = self._classes.pop()
        if self._class_name_overridden.pop() and model.flavor == "polymodel":
            return self._class_names_stored(updated_node)
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node.name.value)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        """``db.Model.__init__(self, parent, key_name, ...)`` positionally: ndb's ``__init__`` takes keywords only."""
        model = self._classes[-1] if self._classes else None
        if model is None or not model.is_legacy or self._functions[-1:] != ["__init__"] or len(self._functions) > 1:
            return updated_node
        func = original_node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "__init__"):
            return updated_node
        if isinstance(func.value, cst.Call) and isinstance(func.value.func, cst.Name) and func.value.func.value == "super":
            skip = 0  # super(Cls, self).__init__(parent, key_name, ...)
        elif self.types.legacy_names(func.value) & set(_BASES):
            skip = 1  # db.Model.__init__(self, parent, key_name, ...)
        else:
            return updated_node
        args = list(updated_node.args)
        positional = [a for a in args if a.keyword is None and not a.star]
        if any(a.star == "*" for a in args) or len(positional) <= skip:
            return updated_node
        moved = positional[skip:]
        if len(moved) > len(_INIT_POSITIONAL):
            return updated_node
        kept = [a for a in args if a not in moved]
        keywords = [
            a.with_changes(keyword=cst.Name(name), equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
            for a, name in zip(moved, _INIT_POSITIONAL) if name is not None
        ]
        head = [a for a in kept if a.keyword is None and not a.star]
        rest = [a for a in kept if a not in head]
        new_args = head + keywords + rest
        if new_args:
            new_args[-1] = new_args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        self.converted()
        return updated_node.with_changes(args=new_args)
    def _class_names_stored(self, node: cst.ClassDef) -> cst.ClassDef:
        """A PolyModel class overriding ``class_name()`` stores its classes' ``__name__``s, as db did.

        db's queries and loads went by ``class_name()``, but the ``class``
        list it wrote held the Python names; ndb writes ``_class_key()``.
        """
        line = cst.SimpleStatementLine(
            body=[cst.Assign(targets=[cst.AssignTarget(cst.Name("class_"))],
                             value=cst.Call(func=self.helper("ClassNamesProperty")))],
            trailing_whitespace=cst.TrailingWhitespace(
                whitespace=cst.SimpleWhitespace("  "),
                comment=cst.Comment("# db stored the classes' __name__s, whatever class_name() says")),
        )
        body = node.body
        if not isinstance(body, cst.IndentedBlock):
            return node
        return node.with_changes(body=body.with_changes(body=[line, *body.body]))

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node):
        if self._functions:
            self._functions.pop()
        model = self._classes[-1] if self._classes else None
        if model is None or not model.is_legacy:
            return updated_node
        name = original_node.name.value
        if name in ("kind", "class_name"):
            new = "_get_kind" if name == "kind" else "_class_name"
            if name == "class_name":
                self._class_name_overridden[-1] = True
            self.converted()
            return updated_node.with_changes(name=cst.Name(new))
        if name == "__init__":
            updated_node = self._init_override(updated_node)
        if name in _OVERRIDE_ADVICE:
            self.todo(f"{model.name}.{name}() overrides a legacy method: {_OVERRIDE_ADVICE[name]}")
        if name in _PRIVATE_HOOKS:
            self.todo(f"{model.name}.{name}() overrides a private hook of db that ndb never calls: "
                      f"{_PRIVATE_HOOKS[name]}")
        return updated_node

    def _init_override(self, node: cst.FunctionDef) -> cst.FunctionDef:
        """``__init__(self, parent=None, key_name=None, _app=None, **kwds)``: ndb's keywords ``id=`` / ``app=``.

        Callers are converted to ``Model(id=...)`` (DB006), so the parameters
        and the keywords passed on to the base ``__init__`` take ndb's names.
        """
        params = {p.name.value for p in node.params.params} | {p.name.value for p in node.params.kwonly_params}
        renames = {old: new for old, new in _INIT_KEYWORDS.items() if old in params and new not in params}
        renamed = cst.ensure_type(node.visit(_RenameInitKeywords(renames)), cst.FunctionDef)
        if renamed is not node:
            self.converted()
        return renamed

    def _rename(self, original_node, updated_node):
        for name in self.types.legacy_names(original_node):
            if name in _BASES:
                self.converted()
                return self.target(_BASES[name])
        return updated_node

    def leave_Attribute(self, original_node, updated_node):
        return self._rename(original_node, updated_node)

    def leave_Name(self, original_node, updated_node):
        return self._rename(original_node, updated_node)
