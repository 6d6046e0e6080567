"""The project index: every module's imports, model classes and properties.

Built before any file is rewritten, from all files of the run (Python's
``ast``, which is fast), so a rule looking at ``Comment.all().filter('post =', p)``
in ``handlers/view.py`` knows that ``Comment`` is a model defined in
``models/comment.py``, inheriting from an app base class defined in
``models/base.py``, whose ``post`` property is a ReferenceProperty.

Module names are computed the way libcst's ``FullyQualifiedNameProvider`` does
(:func:`libcst.helpers.calculate_module_and_package`), so the qualified names
the rules see during the rewrite are keys of this index. Names that reach a
module only through ``from x import *`` are resolved through ``x``'s exports.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from codemods.framework.names import (
    LEGACY_DB_MODULES, LEGACY_DB_PUBLIC, LEGACY_PROPERTY_TYPES, MODEL_BASES, absolute_module, canonical,
)


@dataclass
class PropertyInfo:
    """One property declared in a model class body."""

    attr: str
    #: canonical constructor, e.g. ``db.ReferenceProperty`` or ``ndb.KeyProperty``
    ctor: str
    #: the name stored in Datastore (``name=`` or the attribute name)
    stored_name: str
    #: qualified name of the referenced model class, or ``"<self>"``
    reference: Optional[str] = None
    collection_name: Optional[str] = None
    #: ListProperty item type as written (``int``, ``db.Key`` ...)
    item_type: Optional[str] = None
    #: ``required=True`` without a ``default=`` (db's constructor refused to leave it out)
    required: bool = False

    @property
    def is_reference(self) -> bool:
        """True for legacy ReferenceProperty / SelfReferenceProperty (dereferenced on access)."""
        return self.ctor in (
            "db.ReferenceProperty", "db.Reference", "db.SelfReferenceProperty", "db.SelfReference"
        )


@dataclass
class ClassInfo:
    """A top-level class of a module, as written (bases not yet resolved)."""

    module: str
    name: str
    bases: List[str]
    properties: Dict[str, PropertyInfo] = field(default_factory=dict)
    kind_override: Optional[str] = None
    methods: Set[str] = field(default_factory=set)

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass
class ModuleInfo:
    """What the index knows about one module."""

    name: str
    package: str
    #: local binding -> fully qualified target (``db`` -> ``google.appengine.ext.db``)
    imports: Dict[str, str] = field(default_factory=dict)
    star_imports: List[str] = field(default_factory=list)
    classes: Dict[str, ClassInfo] = field(default_factory=dict)
    top_names: Set[str] = field(default_factory=set)
    explicit_all: Optional[List[str]] = None
    #: the (Python 3) source, read again by :class:`~codemods.analysis.program.Program`
    source: Optional[str] = None


@dataclass
class ModelInfo:
    """A resolved model class: its flavour, kind and every property incl. inherited ones."""

    qualname: str
    name: str
    flavor: str  # db | expando | polymodel | ndb
    kind: str
    properties: Dict[str, PropertyInfo]
    methods: Set[str]
    bases: List[str]

    @property
    def is_legacy(self) -> bool:
        return self.flavor != "ndb"

    @property
    def is_expando(self) -> bool:
        return self.flavor == "expando"

    def property_by_stored_name(self, stored: str) -> Optional[PropertyInfo]:
        """The property whose Datastore name is ``stored`` (what legacy filter strings use)."""
        for prop in self.properties.values():
            if prop.stored_name == stored:
                return prop
        return None


class ProjectIndex:
    """All modules of a run; resolves names across files and answers "is this a model?"."""

    def __init__(self, modules: Optional[Dict[str, ModuleInfo]] = None) -> None:
        self.modules: Dict[str, ModuleInfo] = dict(modules or {})
        self._models: Dict[str, Optional[ModelInfo]] = {}
        self._backrefs: Optional[Dict[Tuple[str, str], Tuple[str, str]]] = None
        self._found: Dict[str, Optional[ModuleInfo]] = {}
        self._kinds: Optional[Dict[str, Optional[str]]] = None
        self._program = None

    def add(self, module: ModuleInfo) -> None:
        """Add (or replace) one module and forget cached resolutions."""
        self.modules[module.name] = module
        self._models.clear()
        self._found.clear()
        self._backrefs = None
        self._kinds = None
        self._program = None

    @property
    def program(self):
        """The inter-procedural facts of these modules (:class:`~codemods.analysis.program.Program`)."""
        if self._program is None:
            from codemods.analysis.program import Program

            self._program = Program(self)
        return self._program

    # -- name resolution -------------------------------------------------
    def find_module(self, name: str) -> Optional[ModuleInfo]:
        """The module called ``name``; falls back to a unique module whose name ends in ``.name``.

        App Engine apps import their modules relative to the app root, which
        may be below the root the tool was run from.
        """
        found = self.modules.get(name)
        if found is not None:
            return found
        if name in self._found:
            return self._found[name]
        suffix = "." + name
        matches = [m for key, m in self.modules.items() if key.endswith(suffix)]
        found = matches[0] if len(matches) == 1 else None
        self._found[name] = found
        return found

    def resolve(self, qualname: str, _depth: int = 0) -> str:
        """Follow re-exports: ``models.Comment`` -> ``models.comment.Comment``."""
        if _depth > 20:
            return qualname
        if qualname.startswith("*"):
            module_name, _, dotted_name = qualname[1:].partition(":")
            root, _, rest = dotted_name.partition(".")
            target = self.star_export(module_name, root)
            if target is None:
                return qualname
            return self.resolve(f"{target}.{rest}" if rest else target, _depth + 1)
        head, _, attr = qualname.rpartition(".")
        if not head:
            return qualname
        module = self.find_module(head)
        if module is None:
            # maybe the head itself is a re-export (``pkg.models.Comment.all``)
            resolved_head = self.resolve(head, _depth + 1)
            if resolved_head != head:
                return self.resolve(f"{resolved_head}.{attr}", _depth + 1)
            return qualname
        if attr in module.classes:
            return f"{module.name}.{attr}"
        target = self.export(module, attr)
        if target is not None and target != qualname:
            return self.resolve(target, _depth + 1)
        return qualname

    def export(self, module: ModuleInfo, name: str, _seen: Optional[Set[str]] = None) -> Optional[str]:
        """What ``name`` is in ``module`` (its own class, an import, or via its star imports)."""
        if name in module.classes:
            return f"{module.name}.{name}"
        if name in module.imports:
            return module.imports[name]
        if name in module.top_names:
            return f"{module.name}.{name}"
        seen = _seen or set()
        if module.name in seen:
            return None
        seen.add(module.name)
        for star in module.star_imports:
            if star in LEGACY_DB_MODULES and name in LEGACY_DB_PUBLIC:
                return f"{star}.{name}"
            other = self.find_module(star)
            if other is None:
                continue
            if other.explicit_all is not None and name not in other.explicit_all:
                continue
            if name.startswith("_"):
                continue
            found = self.export(other, name, seen)
            if found is not None:
                return found
        return None

    def star_export(self, module_name: str, name: str) -> Optional[str]:
        """What an unbound ``name`` in ``module_name`` refers to through its ``import *``."""
        module = self.modules.get(module_name)
        if module is None or not module.star_imports:
            return None
        for star in module.star_imports:
            if star in LEGACY_DB_MODULES and name in LEGACY_DB_PUBLIC:
                return f"{star}.{name}"  # from google.appengine.ext.db import *
            other = self.find_module(star)
            if other is None or name.startswith("_"):
                continue
            if other.explicit_all is not None and name not in other.explicit_all:
                continue
            found = self.export(other, name)
            if found is not None:
                return found
        return None

    # -- models ------------------------------------------------------------
    def model(self, qualname: str) -> Optional[ModelInfo]:
        """The model class ``qualname`` refers to, or None if it is not a known model."""
        if qualname in self._models:
            return self._models[qualname]
        self._models[qualname] = None  # cycle guard
        info = self._build_model(qualname)
        self._models[qualname] = info
        return info

    def _class(self, qualname: str) -> Optional[ClassInfo]:
        resolved = self.resolve(qualname)
        head, _, name = resolved.rpartition(".")
        module = self.find_module(head) if head else None
        if module is None:
            return None
        return module.classes.get(name)

    def _build_model(self, qualname: str) -> Optional[ModelInfo]:
        cls = self._class(qualname)
        if cls is None:
            return None
        flavor = None
        properties: Dict[str, PropertyInfo] = {}
        methods: Set[str] = set()
        kind = cls.kind_override
        for base in cls.bases:
            resolved_base = self.resolve(base)
            short = canonical(resolved_base)
            if short in MODEL_BASES:
                flavor = flavor or MODEL_BASES[short]
                continue
            parent = self.model(resolved_base)
            if parent is not None:
                flavor = flavor or parent.flavor
                properties.update(parent.properties)
                methods.update(parent.methods)
                if kind is None and parent.flavor == "polymodel":
                    pass  # PolyModel subclasses keep their own class name as kind
        if flavor is None:
            return None
        for attr, prop in cls.properties.items():
            properties[attr] = self._resolved_property(prop)
        methods.update(cls.methods)
        return ModelInfo(
            qualname=cls.qualname,
            name=cls.name,
            flavor=flavor,
            kind=kind or cls.name,
            properties=properties,
            methods=methods,
            bases=list(cls.bases),
        )

    def _resolved_property(self, prop: PropertyInfo) -> PropertyInfo:
        resolved = self.resolve(prop.ctor)
        ctor = canonical(resolved) or resolved
        reference = prop.reference
        if reference and reference != "<self>":
            reference = self.resolve(reference)
        return PropertyInfo(prop.attr, ctor, prop.stored_name, reference, prop.collection_name, prop.item_type,
                            prop.required)

    def models(self) -> List[ModelInfo]:
        """Every model class of the project."""
        found = []
        for module in self.modules.values():
            for cls in module.classes.values():
                info = self.model(cls.qualname)
                if info is not None:
                    found.append(info)
        return found

    def model_by_kind(self, kind: Optional[str]) -> Optional[str]:
        """The qualname of the one model class whose kind is ``kind`` (None if none or several)."""
        if not kind:
            return None
        if self._kinds is None:
            table: Dict[str, Optional[str]] = {}
            for model in self.models():
                table[model.kind] = None if model.kind in table else model.qualname
            self._kinds = table
        return self._kinds.get(kind)

    def back_reference(self, target_qualname: str, attr: str) -> Optional[Tuple[str, str]]:
        """``(referrer model qualname, property attr)`` if ``attr`` is a back-reference of the target.

        Legacy ReferenceProperty adds ``<collection_name>`` (default
        ``<referrer kind lower>_set``) to the referenced class, and so to its
        subclasses (a reference to a PolyModel root reaches every class).
        """
        if self._backrefs is None:
            table: Dict[Tuple[str, str], Tuple[str, str]] = {}
            for model in self.models():
                for prop in model.properties.values():
                    if not prop.is_reference or prop.reference is None:
                        continue
                    target = model.qualname if prop.reference == "<self>" else self.resolve(prop.reference)
                    name = prop.collection_name or f"{model.name.lower()}_set"
                    table.setdefault((target, name), (model.qualname, prop.attr))
            self._backrefs = table
        found = self._backrefs.get((target_qualname, attr))
        if found is None:  # inherited: a reference to a base class is a back-reference on its subclasses too
            referenced = self.model(target_qualname)
            for base in referenced.bases if referenced is not None else ():
                resolved = self.resolve(base)
                if resolved != target_qualname and self.model(resolved) is not None:
                    found = self.back_reference(resolved, attr)
                    if found is not None:
                        break
        return found


# ---------------------------------------------------------------------------
# Building a ModuleInfo from source (ast)
# ---------------------------------------------------------------------------

def summarize_module(source: str, module_name: str, package: str) -> ModuleInfo:
    """Index one module's source. Raises SyntaxError if it does not parse as Python 3."""
    tree = ast.parse(source)
    info = ModuleInfo(name=module_name, package=package, source=source)
    for stmt in _top_level_statements(tree.body):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    info.imports[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    info.imports[root] = root
        elif isinstance(stmt, ast.ImportFrom):
            base = absolute_module(stmt.module, stmt.level, package)
            for alias in stmt.names:
                if alias.name == "*":
                    info.star_imports.append(base)
                else:
                    info.imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
        elif isinstance(stmt, ast.ClassDef):
            info.classes[stmt.name] = _summarize_class(stmt, info)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            info.top_names.add(stmt.name)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    info.top_names.add(target.id)
                    if target.id == "__all__" and isinstance(stmt.value, (ast.List, ast.Tuple)):
                        info.explicit_all = [
                            e.value for e in stmt.value.elts
                            if isinstance(e, ast.Constant) and isinstance(e.value, str)
                        ]
    return info


def _top_level_statements(body):
    """Module statements, looking into ``try``/``if`` blocks (guarded imports)."""
    for stmt in body:
        if isinstance(stmt, ast.Try):
            yield from _top_level_statements(stmt.body)
            for handler in stmt.handlers:
                yield from _top_level_statements(handler.body)
            yield from _top_level_statements(stmt.orelse)
        elif isinstance(stmt, ast.If):
            yield from _top_level_statements(stmt.body)
            yield from _top_level_statements(stmt.orelse)
        else:
            yield stmt


def dotted(node: ast.AST) -> Optional[str]:
    """``a.b.c`` for Name/Attribute chains, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def qualify(name: str, module: ModuleInfo) -> str:
    """Qualify a dotted name as written in ``module`` (imports, local classes, star imports)."""
    root, _, rest = name.partition(".")
    if root in module.imports:
        target = module.imports[root]
    elif root in module.classes or root in module.top_names:
        target = f"{module.name}.{root}"
    elif module.star_imports:
        target = "*" + module.name + ":" + root  # resolved later through star exports
    else:
        target = root
    return f"{target}.{rest}" if rest else target


def _summarize_class(node: ast.ClassDef, module: ModuleInfo) -> ClassInfo:
    bases = []
    for base in node.bases:
        name = dotted(base)
        if name:
            bases.append(qualify(name, module))
    cls = ClassInfo(module=module.name, name=node.name, bases=bases)
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            cls.methods.add(stmt.name)
            if stmt.name == "kind":
                literal = _returned_literal(stmt)
                if literal is not None:
                    cls.kind_override = literal
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            prop = _summarize_property(stmt.targets[0].id, stmt.value, module)
            if prop is not None:
                cls.properties[prop.attr] = prop
    return cls


def _returned_literal(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Optional[str]:
    for stmt in func.body:
        if isinstance(stmt, ast.Return) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            return stmt.value.value
    return None


def _summarize_property(attr: str, value: ast.AST, module: ModuleInfo) -> Optional[PropertyInfo]:
    if not isinstance(value, ast.Call):
        return None
    func = dotted(value.func)
    if func is None:
        return None
    last = func.rsplit(".", 1)[-1]
    if not (last.endswith("Property") or last in LEGACY_PROPERTY_TYPES):
        return None
    # qualified as written; ProjectIndex resolves star imports and re-exports later
    ctor = qualify(func, module)
    kwargs = {kw.arg: kw.value for kw in value.keywords if kw.arg}
    stored = attr
    name = kwargs.get("name")
    if isinstance(name, ast.Constant) and isinstance(name.value, str):
        stored = name.value
    reference = None
    collection = None
    item_type = None
    short = ctor.rsplit(".", 1)[-1]
    if short in ("ReferenceProperty", "Reference"):
        ref_node = value.args[0] if value.args else kwargs.get("reference_class")
        ref_name = dotted(ref_node) if ref_node is not None else None
        reference = qualify(ref_name, module) if ref_name else None
    elif short in ("SelfReferenceProperty", "SelfReference"):
        reference = "<self>"
    elif short == "KeyProperty" and isinstance(kwargs.get("kind"), ast.AST):
        ref_name = dotted(kwargs["kind"])
        reference = qualify(ref_name, module) if ref_name else None
    if short == "ListProperty":
        item_node = value.args[0] if value.args else kwargs.get("item_type")
        item_type = dotted(item_node) if item_node is not None else None
    collection_name = kwargs.get("collection_name")
    if isinstance(collection_name, ast.Constant) and isinstance(collection_name.value, str):
        collection = collection_name.value
    required_value = kwargs.get("required")
    required = (isinstance(required_value, ast.Constant) and required_value.value is True
                and "default" not in kwargs and not short.endswith("ListProperty"))
    return PropertyInfo(attr, ctor, stored, reference, collection, item_type, required)
