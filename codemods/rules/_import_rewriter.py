"""Shared machinery of the import rules (DB001, DB013, DB018): move legacy imports elsewhere."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from codemods.framework.imports import alias_binding, alias_name, imported_module, make_import_from, with_aliases
from codemods.framework.rule import Rule


def split_module(dotted: str) -> Tuple[str, str]:
    """``compat.db.polymodel`` -> (``compat.db``, ``polymodel``)."""
    head, _, last = dotted.rpartition(".")
    return head, last


def classify_import_from(
    node: cst.ImportFrom, module_map: Dict[str, str]
) -> Tuple[List[Tuple[cst.ImportAlias, str, str, str]], List[cst.ImportAlias]]:
    """Split the aliases of ``node`` into legacy ones and others.

    Legacy entries are ``(alias, target module, target name, binding)``: the
    import that replaces it is ``from <target module> import <target name> as <binding>``.
    """
    module = imported_module(node)
    if module is None or isinstance(node.names, cst.ImportStar):
        return [], list(node.names) if not isinstance(node.names, cst.ImportStar) else []
    legacy: List[Tuple[cst.ImportAlias, str, str, str]] = []
    others: List[cst.ImportAlias] = []
    for alias in node.names:
        name = alias_name(alias)
        full = f"{module}.{name}"
        binding = alias_binding(alias)
        if full in module_map:
            target_module, target_name = split_module(module_map[full])
            legacy.append((alias, target_module, target_name, binding))
        elif module in module_map:
            legacy.append((alias, module_map[module], name, binding))
        else:
            others.append(alias)
    return legacy, others


def rebuild(
    line: cst.SimpleStatementLine,
    node: cst.ImportFrom,
    others: List[cst.ImportAlias],
    new_imports: List[cst.ImportFrom],
):
    """Replace the import ``node`` (the only statement of ``line``) by ``others`` + ``new_imports``.

    The first resulting line keeps the original's leading comments and
    trailing comment; returns a FlattenSentinel, a line, or RemoveFromParent.
    """
    statements: List[cst.BaseSmallStatement] = []
    if others:
        statements.append(with_aliases(node, others))
    statements.extend(new_imports)
    if not statements:
        return cst.RemoveFromParent()
    lines = []
    for index, statement in enumerate(statements):
        if index == 0:
            lines.append(line.with_changes(body=[statement]))
        else:
            lines.append(cst.SimpleStatementLine(body=[statement]))
    return lines[0] if len(lines) == 1 else cst.FlattenSentinel(lines)


def merge_targets(entries) -> List[cst.ImportFrom]:
    """Group ``(target module, name, binding)`` into one ``from`` import per target module."""
    grouped: Dict[str, List[Tuple[str, Optional[str]]]] = {}
    for target_module, target_name, binding in entries:
        grouped.setdefault(target_module, [])
        pair = (target_name, binding if binding != target_name else None)
        if pair not in grouped[target_module]:
            grouped[target_module].append(pair)
    return [make_import_from(module, names) for module, names in grouped.items()]


class ModuleMoveRule(Rule):
    """A rule that moves whole legacy modules to the shim's: ``MODULES`` maps legacy dotted name -> new one.

    ``from <legacy> import x`` / ``from <legacy package> import <module>``
    become imports from the new module (other names of the same statement
    stay); ``import <legacy> as b`` becomes ``from <new package> import
    <module> as b``. A plain ``import <legacy>`` used with its dotted name
    gets a TODO: its uses would all need rewriting.
    """

    MODULES: Dict[str, str] = {}

    def leave_SimpleStatementLine(self, original_node, updated_node):
        if len(updated_node.body) != 1:
            return updated_node
        statement = updated_node.body[0]
        if isinstance(statement, cst.ImportFrom):
            legacy, others = classify_import_from(statement, self.MODULES)
            if not legacy:
                return updated_node
            self.converted(len(legacy))
            return rebuild(updated_node, statement, others, merge_targets([(m, n, b) for _, m, n, b in legacy]))
        if isinstance(statement, cst.Import):
            for alias in statement.names:
                name = alias_name(alias)
                if name not in self.MODULES:
                    continue
                module, last = split_module(self.MODULES[name])
                if alias.asname is not None and len(statement.names) == 1:
                    self.converted()
                    return rebuild(updated_node, statement, [], merge_targets([(module, last, alias.asname.name.value)]))
                self.todo(f"`import {name}`: import it as `from {module} import {last}` and drop the package prefix.")
        return updated_node
