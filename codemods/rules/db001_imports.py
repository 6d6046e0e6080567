"""DB001: legacy ``db`` imports."""

from __future__ import annotations

import re
from typing import Dict, List, Tuple

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from codemods.framework import keys
from codemods.framework.imports import alias_binding, alias_name, imported_module, make_import_from
from codemods.framework.names import LEGACY_DB_PUBLIC
from codemods.framework.options import TARGET_COMPAT, TARGET_NDB
from codemods.framework.rule import Rule
from codemods.framework.suite import python_names
from codemods.rules._import_rewriter import classify_import_from, merge_targets, rebuild, split_module

#: legacy module -> the shim module that provides the same API
COMPAT_MODULES = {
    "google.appengine.ext.db": "compat.db",
    "google.appengine.ext.db.polymodel": "compat.db.polymodel",
    "google.appengine.ext.db.metadata": "compat.db.metadata",
    "google.appengine.ext.db.stats": "compat.db.stats",
    "google.appengine.api.datastore_errors": "compat.db.errors",
    "google.appengine.api.datastore_types": "compat.datastore_types",
}
#: modules that already are the shim (a ``--to compat`` run happened before)
SHIM_MODULES = {
    "compat.db": "compat.db", "compat.db.polymodel": "compat.db.polymodel",
    "compat.db.metadata": "compat.db.metadata", "compat.db.stats": "compat.db.stats",
    "compat.db.errors": "compat.db.errors", "compat.db.types": "compat.db.types",
    "compat.datastore_types": "compat.datastore_types",
}
LEGACY_NDB = "google.appengine.ext.ndb"

#: what to do instead, for legacy names no rule converts
_ADVICE = {
    "db.allocate_ids": "`Model.allocate_ids(size=n)` returns the keys; db returned a (start, end) range",
    "db.allocate_id_range": "ndb has no equivalent",
    "db.get_indexes": "ndb's get_indexes raises NotImplementedError",
    "db.query_descendants": "query each kind with `Model.query(ancestor=entity.key)`",
    "db.websafe_encode_cursor": "use `cursor.urlsafe()` on an ndb.Cursor",
    "db.websafe_decode_cursor": "use `ndb.Cursor(urlsafe=s)`",
    "db.create_rpc": "pass ndb options (`timeout=`, `read_consistency=`) to each call",
    "db.create_config": "pass ndb options (`timeout=`, `read_consistency=`) to each call",
    "db.class_for_kind": "use `ndb.Model._lookup_model(kind)`",
    "db.model_to_protobuf": "use `ndb.model._entity_to_ds_entity(entity)` or the datastore client",
    "db.model_from_protobuf": "use `ndb.model._entity_from_ds_entity(ds_entity)`",
}
#: legacy db submodules whose counterpart ships with google-cloud-ndb (as ndb models)
NDB_SUBMODULES = {
    "google.appengine.ext.db.stats": "google.cloud.ndb.stats",
    "google.appengine.ext.db.metadata": "google.cloud.ndb.metadata",
}


class ImportsRule(Rule):
    """DB001 imports: legacy ``db`` imports move to google-cloud-ndb (or to the shim).

    ``--to ndb``: the ``db`` import becomes ``from google.cloud import ndb``
    in place; legacy ``google.appengine.ext.ndb`` imports (files that already
    mix db and ndb) become ``google.cloud.ndb``. The other rules rewrite the
    uses. A use no rule could convert keeps working on the shim: the file then
    also gets ``from compat import db`` (and a TODO marks each such use).
    ``from google.appengine.ext.db import *`` is resolved the same way: the
    rules see its names, and what stays on the shim is imported by name
    (``from compat.db import allocate_id_range``).

        from google.appengine.ext import db          from google.cloud import ndb
        from google.appengine.ext.db import polymodel

    ``--to compat``: only the module changes, the code keeps the legacy API:

        from google.appengine.ext import db          from compat import db
        from google.appengine.ext.db import polymodel  from compat.db import polymodel
        from google.appengine.api import datastore_errors
                                      from compat.db import errors as datastore_errors

    Legacy ``ndb`` imports (apps mixing db and ndb) become ``google.cloud.ndb``
    with both targets (and legacy ndb's ``ndb.StringProperty(indexed=False)``,
    which google-cloud-ndb refuses, ``ndb.TextProperty(indexed=False)``: the
    same unindexed string is stored; its ``ndb.UserProperty``, whose
    ``auto_current_user(_add)=`` google-cloud-ndb refuses, ``ndb_legacy.UserProperty``):
    the shim has no legacy ndb, and google-cloud-ndb is its
    successor (the ndb code needs an ndb context: ``compat.wsgi.ContextMiddleware``
    gives each request one that compat and ndb calls share).

    (Alternatively keep the imports unchanged and call ``compat.install()``
    before the first of them runs; see docs/codemods.md.)
    """

    TODOS = (
        "A legacy name no rule converts (`db.allocate_ids`, `db.allocate_id_range`, `db.get_indexes`, "
        "`db.query_descendants`, `db.create_rpc`, `db.websafe_encode_cursor`, ...): it keeps working on the "
        "shim through `from compat import db`; replace it (e.g. `Model.allocate_ids(size=n)` returns keys, "
        "not a range) and the shim import disappears on the next run.",
        "`import google.appengine.ext.db` used with its full dotted name: import it as a name so its uses can be rewritten.",
        "A legacy `db` submodule or name the shim lacks (`djangoforms`): `--to compat` still moves the import, "
        "so the file fails to import until what it is used for is replaced.",
        "A string naming a legacy db object by its dotted path (a `mock.patch` target): with `--to ndb` it names the "
        "ndb object of that name now (or the shim's, where ndb has none); check the converted code calls that very "
        "name (`--to compat` rewrites it to `compat.db...` without a TODO).",
    )
    ID = "DB001"
    TITLE = "imports: google.appengine.ext.db -> google.cloud.ndb (or compat.db)"
    TARGETS = frozenset({TARGET_NDB, TARGET_COMPAT})

    def visit_Module(self, node: cst.Module) -> None:
        self._has_cloud_ndb = False
        self._placed = False
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.ImportFrom) and imported_module(small) == "google.cloud":
                        if not isinstance(small.names, cst.ImportStar) and any(
                            alias_name(a) == "ndb" and alias_binding(a) == "ndb" for a in small.names
                        ):
                            self._has_cloud_ndb = True
                            self.context.scratch[keys.NDB_IMPORTED] = True

    # -- import statements -------------------------------------------------------
    def leave_SimpleStatementLine(self, original_node, updated_node):
        if len(updated_node.body) != 1:
            return updated_node
        statement = updated_node.body[0]
        if isinstance(statement, cst.ImportFrom):
            return self._import_from(updated_node, statement)
        if isinstance(statement, cst.Import):
            return self._import(updated_node, statement)
        return updated_node

    def _import_from(self, line, node: cst.ImportFrom):
        if isinstance(node.names, cst.ImportStar) and imported_module(node) in (*COMPAT_MODULES, *SHIM_MODULES):
            return self._star_import(line, node)
        if self.options.target == TARGET_COMPAT:
            legacy, others = classify_import_from(node, {**COMPAT_MODULES, LEGACY_NDB: "google.cloud.ndb"})
            if not legacy:
                return line
            for _, target_module, target_name, _ in legacy:
                if target_module.startswith("compat") and not _in_module(target_module, target_name):
                    self.todo(f"the shim has no `{target_module}.{target_name}` (legacy `db`'s `{target_name}`): "
                              "replace what this file uses it for.")
            self.converted(len(legacy))
            return rebuild(line, node, others, merge_targets([(m, n, b) for _, m, n, b in legacy]))
        modules = {**NDB_SUBMODULES, **COMPAT_MODULES, **SHIM_MODULES, LEGACY_NDB: "google.cloud.ndb"}
        legacy, others = classify_import_from(node, modules)
        if not legacy:
            return line
        new_imports: List[Tuple[str, str, str]] = []
        bindings: Dict[str, Tuple[str, str]] = self.context.scratch.setdefault(keys.LEGACY_BINDINGS, {})
        place_ndb = False
        kept = []
        source = imported_module(node)
        assert source is not None  # legacy names come from an absolute import only
        for alias, target_module, target_name, binding in legacy:
            full = f"{source}.{alias_name(alias)}"
            if full in NDB_SUBMODULES or source in NDB_SUBMODULES:
                module = NDB_SUBMODULES.get(full, "").rpartition(".")[0] or NDB_SUBMODULES[source]
                new_imports.append((module, target_name, binding))
                self.todo(
                    f"`{full if full in NDB_SUBMODULES else source}` -> `{NDB_SUBMODULES.get(full) or NDB_SUBMODULES[source]}`: "
                    "the same classes, but they are ndb models now: query them with ndb syntax "
                    "(`KindStat.query(KindStat.kind_name == k)`)."
                )
            elif source in SHIM_MODULES or full in SHIM_MODULES:
                # already the shim: stays in place while it is used (finalize drops it otherwise)
                self.context.scratch.setdefault(keys.SHIM_BINDINGS, {})[binding] = (target_module, target_name)
                kept.append(alias)
                place_ndb = True
            elif target_module == "google.cloud.ndb":
                new_imports.append((target_module, target_name, binding))  # from legacy ndb import X
            elif (target_module, target_name) == ("google.cloud", "ndb"):
                place_ndb = True  # from google.appengine.ext import ndb
            else:
                bindings[binding] = (target_module, target_name)
                place_ndb = True
        self.converted(len(legacy) - len(kept))
        if place_ndb and not self._has_cloud_ndb and not self._placed:
            self._placed = True
            self.context.scratch[keys.PLACED_IMPORTS] = True
            self.context.scratch[keys.NDB_IMPORTED] = True
            new_imports.insert(0, ("google.cloud", "ndb", "ndb"))
        if kept:
            if not new_imports:
                return line
            lines = [line] + [cst.SimpleStatementLine(body=[i]) for i in merge_targets(new_imports)]
            return cst.FlattenSentinel(lines)
        return rebuild(line, node, others, merge_targets(new_imports))

    def _star_import(self, line, node: cst.ImportFrom):
        """``from google.appengine.ext.db import *``: the names it brings are resolved like imports."""
        module = imported_module(node)
        assert module is not None  # _import_from sends only star imports of a legacy module here
        shim = COMPAT_MODULES.get(module, SHIM_MODULES.get(module, module))
        if self.options.target == TARGET_COMPAT:
            if shim == module:
                return line
            self.converted()
            return line.with_changes(body=[node.with_changes(module=cst.parse_expression(shim))])
        # --to ndb: finalize imports what is still used from the shim, by name
        self.context.scratch.setdefault(keys.STAR_LEGACY, set()).add(shim)
        self.converted()
        if not self._has_cloud_ndb and not self._placed:
            self._placed = True
            self.context.scratch[keys.PLACED_IMPORTS] = True
            self.context.scratch[keys.NDB_IMPORTED] = True
            return line.with_changes(body=[make_import_from("google.cloud", [("ndb", None)])])
        return cst.RemoveFromParent()

    def _import(self, line, node: cst.Import):
        for alias in node.names:
            name = alias_name(alias)
            if name in COMPAT_MODULES or name in SHIM_MODULES or name == LEGACY_NDB:
                if alias.asname is None:
                    self.todo(f"`import {name}`: import it as a name instead (`from {name.rpartition('.')[0]} import {name.rpartition('.')[2]}`) so db2ndb can rewrite its uses.")
                    return line
        legacy = [a for a in node.names if alias_name(a) in COMPAT_MODULES or alias_name(a) in SHIM_MODULES or alias_name(a) == LEGACY_NDB]
        if not legacy:
            return line
        others = [a for a in node.names if a not in legacy]
        entries = []
        for alias in legacy:
            name = alias_name(alias)
            binding = alias_binding(alias)
            if self.options.target == TARGET_COMPAT:
                if name in COMPAT_MODULES or name == LEGACY_NDB:
                    module, last = split_module(COMPAT_MODULES.get(name, "google.cloud.ndb"))
                    entries.append((module, last, binding))
                else:
                    others.append(alias)
                continue
            if name == LEGACY_NDB:
                entries.append(("google.cloud", "ndb", binding))
                continue
            module, last = split_module(COMPAT_MODULES.get(name, SHIM_MODULES.get(name, name)))
            self.context.scratch.setdefault(keys.LEGACY_BINDINGS, {})[binding] = (module, last)
            if not self._has_cloud_ndb and not self._placed:
                self._placed = True
                self.context.scratch[keys.PLACED_IMPORTS] = True
                entries.append(("google.cloud", "ndb", "ndb"))
        if not entries and len(others) == len(node.names):
            return line
        self.converted(len(legacy))
        new_lines = merge_targets(entries)
        statements: List[cst.BaseSmallStatement] = []
        if others:
            kept = list(others)
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            statements.append(node.with_changes(names=kept))
        statements.extend(new_lines)
        if not statements:
            return cst.RemoveFromParent()
        out = [line.with_changes(body=[statements[0]])] + [cst.SimpleStatementLine(body=[s]) for s in statements[1:]]
        return out[0] if len(out) == 1 else cst.FlattenSentinel(out)

    # -- dotted names in strings (mock.patch targets, sys.modules keys) ---------------
    def leave_SimpleString(self, original_node: cst.SimpleString, updated_node):
        value = original_node.evaluated_value
        match = _LEGACY_DOTTED.fullmatch(value) if isinstance(value, str) else None
        if match is None or not isinstance(value, str) or (match.group(1) == "compat.db"
                                                           and self.options.target == TARGET_COMPAT):
            return updated_node
        rest = value[len(match.group(1)):]
        if self.options.target == TARGET_COMPAT:
            new = "compat.db" + rest
        elif _in_ndb(rest.lstrip(".")):
            new = "google.cloud.ndb" + rest
            self.todo(f"this string named legacy `db{rest}`; it names `ndb{rest}` now: check that the converted code "
                      "calls that name, with that signature (a stub by name stops taking effect otherwise, see DB016).")
        else:
            new = "compat.db" + rest
            self.todo(f"this string named legacy `db{rest}`, which has no ndb counterpart of that name; it names the "
                      "shim's now: point it at what the converted code calls.")
        self.converted()
        quote = original_node.quote
        return updated_node.with_changes(value=f"{original_node.prefix}{quote}{new}{quote}")

    # -- legacy ndb code google-cloud-ndb refuses --------------------------------------------
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        """Legacy ndb's ``ndb.StringProperty(indexed=False)``: google-cloud-ndb refuses it at class definition.

        It becomes ``ndb.TextProperty(indexed=False)``, which stores what
        legacy ndb stored: an unindexed string without a meaning.
        """
        func = original_node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "StringProperty"):
            return updated_node
        unindexed = any(a.keyword is not None and a.keyword.value == "indexed" and isinstance(a.value, cst.Name)
                        and a.value.value == "False" for a in original_node.args)
        if not unindexed or "ndb.StringProperty" not in self.types.legacy_names(func):
            return updated_node
        self.converted()
        return updated_node.with_changes(func=updated_node.func.with_changes(attr=cst.Name("TextProperty")))

    # -- uses no rule converts -----------------------------------------------------
    def leave_Attribute(self, original_node: cst.Attribute, updated_node):
        if original_node.attr.value == "UserProperty" and any(
            q.name == LEGACY_NDB + ".UserProperty" for q in self.types.fully_qualified(original_node)
        ):
            # legacy ndb's auto_current_user(_add): google-cloud-ndb raises NoLongerImplementedError for both
            self.converted()
            return self.helper("UserProperty")
        if self.options.target != TARGET_NDB or not isinstance(original_node.value, cst.Name):
            return updated_node
        self._check_unhandled(original_node)
        return updated_node

    def leave_Name(self, original_node: cst.Name, updated_node):
        if self.options.target == TARGET_NDB:
            self._check_unhandled(original_node)
        return updated_node

    def _check_unhandled(self, node) -> None:
        names = self.types.legacy_names(node)
        for name in names:
            if not name.startswith(("db.", "datastore_errors.")) or name == "db.polymodel":
                continue
            if name.split(".")[:2] in (["db", "stats"], ["db", "metadata"]):
                continue  # the import was moved to google.cloud.ndb (with a TODO there)
            handled = self.context.scratch.get(keys.ENABLED_HANDLES, frozenset())
            if name in handled or name.startswith("db.polymodel.") and "db.polymodel.PolyModel" in handled:
                continue
            text = "db." + name.split(".", 1)[1] if name.startswith("datastore_errors.") else name
            advice = _ADVICE.get(text) or _ADVICE.get(".".join(text.split(".")[:2]))
            if advice is not None:
                self.todo(f"`{text}` has no direct ndb equivalent ({advice}); it keeps running on the compat shim meanwhile.")
            else:
                self.todo(f"`{text}` has no google-cloud-ndb equivalent db2ndb can apply; it keeps running on the compat shim (`from compat import db`).")

    def _star_legacy(self, info) -> Dict[str, str]:
        out = {}
        local = set(info.imports) | set(info.classes) | set(info.top_names)
        for name in ("db", "polymodel", "datastore_errors"):
            if name in local:
                continue
            target = self.types.index.star_export(info.name, name)
            if target in COMPAT_MODULES or target in SHIM_MODULES:
                out[name] = target
        return out

    # -- after the traversal: keep the shim for what is left -------------------------
    def finalize(self, module: cst.Module) -> cst.Module:
        if self.options.target != TARGET_NDB:
            return module
        bindings = dict(self.context.scratch.get(keys.LEGACY_BINDINGS) or {})
        info = self.types.index.modules.get(self.types.module_name)
        if info is not None and info.star_imports:
            # legacy modules that reach this file only through `from x import *`
            for name, short_name in self._star_legacy(info).items():
                bindings.setdefault(name, split_module(COMPAT_MODULES.get(short_name, short_name)))
        shim = self.context.scratch.get(keys.SHIM_BINDINGS) or {}
        star = self.context.scratch.get(keys.STAR_LEGACY) or set()
        if not bindings and not shim and not star:
            return module
        names = python_names(module, self.context)
        if star:
            local = set(info.imports) | set(info.classes) | set(info.top_names) if info is not None else set()
            for name in sorted((names & LEGACY_DB_PUBLIC) - local - {"ndb"}):
                bindings.setdefault(name, ("compat.db", name))
        unused_shim = {(m, n) for b, (m, n) in shim.items() if b not in names}
        for binding, (target_module, target_name) in sorted(bindings.items()):
            if binding in names:
                AddImportsVisitor.add_needed_import(
                    self.context, target_module, target_name, binding if binding != target_name else None
                )
        if (
            self.context.scratch.get(keys.PLACED_IMPORTS)
            and "ndb" not in names
            and not self.context.scratch.get(keys.NDB_REQUESTED)
        ):
            module = module.visit(_DropImports({("google.cloud", "ndb")}))
        if unused_shim:
            module = module.visit(_DropImports(unused_shim))
        return module


#: a dotted name under the legacy module (or the shim's, after ``--to compat``), as a whole string
#: (``'google.appengine.ext.db.Model.put'``)
_LEGACY_DOTTED = re.compile(r"(google\.appengine\.ext\.db|compat\.db)((?:\.[A-Za-z_]\w*)*)")


def _in_module(module: str, name: str) -> bool:
    """Does ``module`` (of the shim) offer ``name``, as an attribute or a submodule?"""
    import importlib
    import importlib.util

    try:
        if hasattr(importlib.import_module(module), name):
            return True
        return importlib.util.find_spec(f"{module}.{name}") is not None
    except ImportError:
        return False


def _in_ndb(dotted: str) -> bool:
    """Does google-cloud-ndb have ``dotted`` (``Model.put``, ``polymodel.PolyModel``) under the same name?"""
    if not dotted:
        return True
    import importlib

    try:
        value = importlib.import_module("google.cloud.ndb")
    except ImportError:  # pragma: no cover - a dependency
        return False
    for part in dotted.split("."):
        if not hasattr(value, part):
            try:
                value = importlib.import_module(f"{value.__name__}.{part}")
                continue
            except (ImportError, AttributeError):
                return False
        value = getattr(value, part)
    return True


class _DropImports(cst.CSTTransformer):
    """Remove the ``(module, name)`` aliases from ``from`` imports (module level and nested blocks)."""

    def __init__(self, drop) -> None:
        super().__init__()
        self.drop = drop

    def visit_SimpleStatementLine(self, node) -> bool:
        return False

    def leave_SimpleStatementLine(self, original_node, updated_node):
        if len(updated_node.body) != 1 or not isinstance(updated_node.body[0], cst.ImportFrom):
            return updated_node
        node = updated_node.body[0]
        module = imported_module(node)
        if module is None or isinstance(node.names, cst.ImportStar):
            return updated_node
        keep = [a for a in node.names if (module, alias_name(a)) not in self.drop]
        if len(keep) == len(node.names):
            return updated_node
        if not keep:
            return cst.RemoveFromParent()
        keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(body=[node.with_changes(names=keep)])
