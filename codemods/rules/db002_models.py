"""DB002: model base classes and the class-level model API."""

from __future__ import annotations

import libcst as cst

from codemods.framework.rule import Rule

_BASES = {"db.Model": "Model", "db.Expando": "Expando", "db.polymodel.PolyModel": "PolyModel"}

_OVERRIDE_ADVICE = {
    "__init__": "ndb creates entities with `Model()` and no arguments when it loads them, "
    "and takes `id=` instead of `key_name=`: make `__init__` accept that (or use `_post_get_hook`).",
    "put": "`ndb.put_multi()` does not call this `put()` override; consider `_pre_put_hook` / `_post_put_hook`.",
    "get": "ndb models have no `Model.get()`; calls of this override are kept, check its body.",
    "delete": "ndb deletes through `entity.key.delete()`, which does not call this `delete()` override; "
    "consider `_pre_delete_hook`.",
}


class ModelClassesRule(Rule):
    """DB002 models: ``db.Model`` / ``db.Expando`` / ``PolyModel`` bases and class-level API.

        class Post(db.Model):                      class Post(ndb.Model):
            @classmethod                               @classmethod
            def kind(cls): return 'BlogPost'           def _get_kind(cls): return 'BlogPost'

        class Animal(polymodel.PolyModel): ...     class Animal(ndb.PolyModel): ...

    Both PolyModels store the ``class`` list property, so existing data stays
    readable. ``class_name()`` overrides become ``_class_name()``. Models that
    override ``__init__``, ``put``, ``get`` or ``delete`` get a TODO: ndb
    builds entities with no constructor arguments and its batch functions do
    not call those methods.
    """

    TODOS = (
        "`__init__` override: ndb builds entities with `Model()` (no arguments) when loading them and takes "
        "`id=` instead of `key_name=`; accept no arguments, or move the logic to `_post_get_hook`.",
        "`put` override: `ndb.put_multi()` does not call it; move the logic to `_pre_put_hook` / `_post_put_hook`.",
        "`get` override: ndb has no `Model.get`; calls of the override are kept, check its body.",
        "`delete` override: `entity.key.delete()` does not call it; use `_pre_delete_hook`.",
    )
    ID = "DB002"
    TITLE = "model base classes, kind() / class_name() overrides, risky overrides"
    HANDLES = frozenset(_BASES)

    def __init__(self, context, options=None) -> None:
        super().__init__(context, options)
        self._classes = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        model = self.types.model_of_classdef(node) if not self._classes else None
        self._classes.append(model)  # overrides are flagged in leave_FunctionDef, on the method itself

    def leave_ClassDef(self, original_node, updated_node):
        self._classes.pop()
        return updated_node

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node):
        model = self._classes[-1] if self._classes else None
        if model is None or not model.is_legacy:
            return updated_node
        name = original_node.name.value
        if name in ("kind", "class_name"):
            new = "_get_kind" if name == "kind" else "_class_name"
            self.converted()
            return updated_node.with_changes(name=cst.Name(new))
        if name in _OVERRIDE_ADVICE:
            self.todo(f"{model.name}.{name}() overrides a legacy method: {_OVERRIDE_ADVICE[name]}")
        return updated_node

    def _rename(self, original_node, updated_node):
        for name in self.types.legacy_names(original_node):
            if name in _BASES:
                self.converted()
                return self.ndb(_BASES[name])
        return updated_node

    def leave_Attribute(self, original_node, updated_node):
        return self._rename(original_node, updated_node)

    def leave_Name(self, original_node, updated_node):
        return self._rename(original_node, updated_node)
