"""DB016: tests that stub legacy model methods by their string name."""

from __future__ import annotations

import libcst as cst

from codemods.analysis.types import ModelClassT
from codemods.framework.rule import Rule
from codemods.rules._common import string_value

_RENAMED = {
    "all": "query", "get_by_key_name": "get_by_id", "key": "key (an attribute now)", "kind": "_get_kind",
    "properties": "_properties", "delete": "key.delete", "is_saved": "(no equivalent)",
    "parent": "key.parent().get", "parent_key": "key.parent", "get": "ndb.Key.get / ndb.get_multi",
    "dynamic_properties": "_properties", "class_name": "_class_name",
}
_STUBBERS = {"object", "Set", "setattr", "SmartSet"}


class StubsRule(Rule):
    """DB016 stubs: string-named stubs of renamed model methods are flagged.

        mock.patch.object(Post, 'all', ...)          # TODO(db2ndb:DB016): ... 'query'
        self.stubs.Set(Post, 'get_by_key_name', f)   # TODO(db2ndb:DB016): ... 'get_by_id'
        mock.patch('app.models.Post.all')            # TODO(db2ndb:DB016): ...

    After the migration the code calls ``Post.query`` instead of ``Post.all``
    (and ``get_by_id``, ``_get_kind``, ``key`` ...), so a stub installed under
    the legacy name silently stops taking effect. The string cannot be
    rewritten blindly (the stub's signature changes too), so each one gets a
    TODO naming the new method.
    """

    TODOS = (
        "A stub installed by string name on a renamed model method (`all`, `get_by_key_name`, `key`, `kind`, "
        "`delete`, ...): stub the ndb method instead, with its new signature.",
    )
    ID = "DB016"
    TITLE = "string-named stubs of renamed model methods (mock.patch.object, stubs.Set, setattr)"

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        if name in _STUBBERS and len(node.args) >= 2:
            target = self.types.type_of(node.args[0].value)
            method_name = string_value(node.args[1].value)
            if isinstance(target, ModelClassT) and method_name in _RENAMED:
                model = self.types.model(target.model)
                if model is not None and model.is_legacy:
                    self.todo(f"stub of `{model.name}.{method_name}`: ndb code calls `{_RENAMED[method_name]}` instead.")
            return
        if name == "patch" and node.args:
            path = string_value(node.args[0].value)
            if path and "." in path:
                head, _, method_name = path.rpartition(".")
                model = self.types.index.model(self.types.index.resolve(head))
                if model is not None and model.is_legacy and method_name in _RENAMED:
                    self.todo(f"patch of `{path}`: ndb code calls `{_RENAMED[method_name]}` instead.")
