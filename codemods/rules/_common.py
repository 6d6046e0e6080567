"""Small CST builders shared by the rules."""

from __future__ import annotations

import re
from typing import Optional, Sequence

import libcst as cst

_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def arg(value: cst.BaseExpression, keyword: Optional[str] = None) -> cst.Arg:
    """A call argument, keyword if ``keyword`` is given."""
    if keyword is None:
        return cst.Arg(value=value)
    return cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )


def as_keyword(original: cst.Arg, keyword: str) -> cst.Arg:
    """``original`` turned into (or renamed to) the keyword argument ``keyword``."""
    return original.with_changes(
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )


def fix_commas(args: Sequence[cst.Arg]) -> list:
    """Make the commas between ``args`` consistent (none after the last one)."""
    out = []
    for index, item in enumerate(args):
        if index < len(args) - 1:
            if not isinstance(item.comma, cst.Comma):
                item = item.with_changes(comma=_COMMA)
        else:
            item = item.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        out.append(item)
    return out


def recall(original: cst.Call, func: cst.BaseExpression, args: Sequence[cst.Arg]) -> cst.Call:
    """``original`` with a new function and arguments, keeping its layout.

    The parentheses, the whitespace after ``(`` (a call split over lines
    stays split) and a trailing comma survive; each argument keeps its own
    comma and comments.
    """
    args = list(args)
    trailing = bool(original.args) and isinstance(original.args[-1].comma, cst.Comma)
    out = []
    for index, item in enumerate(args):
        last = index == len(args) - 1
        if not last:
            if not isinstance(item.comma, cst.Comma):
                item = item.with_changes(comma=_COMMA)
        elif trailing:
            if not isinstance(item.comma, cst.Comma):
                item = item.with_changes(comma=original.args[-1].comma)
        else:
            item = item.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        out.append(item)
    return original.with_changes(func=func, args=out)


def call(func: cst.BaseExpression, args: Sequence[cst.Arg] = ()) -> cst.Call:
    """``func(args)`` with tidy commas."""
    return cst.Call(func=func, args=fix_commas(list(args)))


def method(receiver: cst.BaseExpression, name: str, args: Sequence[cst.Arg] = ()) -> cst.Call:
    """``receiver.name(args)``."""
    return call(cst.Attribute(value=receiver, attr=cst.Name(name)), args)


def method_of(node: cst.Call) -> cst.Attribute:
    """The ``receiver.name`` a method call calls (the caller has checked that it calls one)."""
    return cst.ensure_type(node.func, cst.Attribute)


def attr(receiver: cst.BaseExpression, name: str) -> cst.Attribute:
    """``receiver.name``."""
    return cst.Attribute(value=receiver, attr=cst.Name(name))


def string_value(node: cst.BaseExpression) -> Optional[str]:
    """The value of a plain string literal (no f-string, no implicit concatenation of non-literals)."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def is_simple(node: cst.BaseExpression) -> bool:
    """Names, attribute chains and literals: safe to evaluate again or later."""
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.Attribute):
        return is_simple(node.value)
    if isinstance(node, cst.UnaryOperation):
        return is_simple(node.expression)
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return is_simple(node.value) and is_simple(node.slice[0].slice.value)
    return False


def is_none(node: cst.BaseExpression) -> bool:
    """The literal ``None``."""
    return isinstance(node, cst.Name) and node.value == "None"


def never_put(types, node: cst.BaseExpression) -> bool:
    """``Model(...)`` made right here without a key name or key: an entity with no complete key.

    db raised for such an entity where it needed its key (NotSavedError for
    an ancestor, BadValueError for a reference); its ndb ``.key`` is None.
    """
    return (isinstance(node, cst.Call) and types.model_class(node.func) is not None
            and not any(a.star or (a.keyword is not None and a.keyword.value in ("key_name", "key", "id"))
                        for a in node.args))


def code_of(node: cst.CSTNode) -> str:
    """Source text of a node (for messages)."""
    text = cst.Module(body=[]).code_for_node(node)
    return re.sub(r"\s+", " ", text).strip()


def short(node: cst.CSTNode, limit: int = 60) -> str:
    """Source text of a node, shortened for a TODO message."""
    text = code_of(node)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def parenthesize(node: cst.BaseExpression) -> cst.BaseExpression:
    """Wrap ``node`` in parentheses."""
    return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
