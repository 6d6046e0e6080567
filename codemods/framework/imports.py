"""Helpers to read and rebuild import statements."""

from __future__ import annotations

from typing import List, Optional, Sequence, Union, cast

import libcst as cst
from libcst.helpers import get_full_name_for_node


def imported_module(node: cst.ImportFrom) -> Optional[str]:
    """The absolute module of ``from <module> import ...``; None for relative imports."""
    if node.relative or node.module is None:
        return None
    return get_full_name_for_node(node.module)


def alias_binding(alias: cst.ImportAlias) -> str:
    """The local name an import alias binds (``as`` name, or the first dotted part)."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    full = get_full_name_for_node(alias.name) or ""
    return full.split(".")[0]


def alias_name(alias: cst.ImportAlias) -> str:
    """The imported dotted name of an alias."""
    return get_full_name_for_node(alias.name) or ""


def make_import_from(module: str, names: Sequence[tuple]) -> cst.ImportFrom:
    """``from module import a, b as c`` from ``[(name, asname or None), ...]``."""
    aliases: List[cst.ImportAlias] = []
    for index, (name, asname) in enumerate(names):
        aliases.append(
            cst.ImportAlias(
                name=cst.Name(name),
                asname=cst.AsName(name=cst.Name(asname)) if asname and asname != name else None,
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                if index < len(names) - 1
                else cst.MaybeSentinel.DEFAULT,
            )
        )
    dotted = cast(Union[cst.Attribute, cst.Name], cst.parse_expression(module))  # a dotted module name
    return cst.ImportFrom(module=dotted, names=aliases)


def with_aliases(node: cst.ImportFrom, keep: Sequence[cst.ImportAlias]) -> cst.ImportFrom:
    """``node`` keeping only ``keep`` (fixing the trailing comma)."""
    keep = list(keep)
    if keep:
        keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(names=keep)
