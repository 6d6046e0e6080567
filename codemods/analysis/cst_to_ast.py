"""A libcst expression as Python's ``ast`` reads it: how the per-file view hands a node to the type engine.

:class:`~codemods.analysis.inference.TypeEngine` asks
:class:`~codemods.analysis.program.Program` (which works on ``ast``) about
the libcst nodes rules look at. :class:`AstOfCst` builds the ``ast`` twin of
such a node from its fields for the expressions the inference reads (names,
attributes, calls, subscripts, literals, containers, comprehensions,
operators) and falls back to printing the node and ``ast.parse`` for the
rest (lambdas, comparisons, ...): printing a libcst node costs far more than
building a few ``ast`` nodes, and rules ask about thousands of nodes per run.

Each libcst node is converted once; its twin is reused inside the twins of
the nodes around it, so the engine's memo (keyed by ``ast`` node) serves a
receiver asked alone and as part of a call. Twins carry no positions (the
engine does not read them).
"""

from __future__ import annotations

import ast
from typing import Callable, Dict, List, Optional

import libcst as cst

_BINARY = {
    cst.Add: ast.Add, cst.Subtract: ast.Sub, cst.Multiply: ast.Mult, cst.Divide: ast.Div,
    cst.FloorDivide: ast.FloorDiv, cst.Modulo: ast.Mod, cst.Power: ast.Pow, cst.LeftShift: ast.LShift,
    cst.RightShift: ast.RShift, cst.BitOr: ast.BitOr, cst.BitAnd: ast.BitAnd, cst.BitXor: ast.BitXor,
    cst.MatrixMultiply: ast.MatMult,
}
_CONSTANTS = {"True": True, "False": False, "None": None}
_COMPREHENSIONS = {cst.ListComp: ast.ListComp, cst.SetComp: ast.SetComp, cst.GeneratorExp: ast.GeneratorExp}


class _Fallback(Exception):
    """A node the builder does not know: print it and parse it instead."""


class AstOfCst:
    """The ``ast`` twins of the expressions of one libcst module (memoised per node)."""

    def __init__(self, module: Optional[cst.Module]) -> None:
        self._module = module if module is not None else cst.Module(body=[])
        self._twins: Dict[int, Optional[ast.expr]] = {}

    def expression(self, node: cst.BaseExpression) -> Optional[ast.expr]:
        """The ``ast`` twin of ``node`` (None if Python's ``ast`` cannot read it)."""
        key = id(node)
        if key in self._twins:
            return self._twins[key]
        try:
            twin: Optional[ast.expr] = self._build(node)
        except _Fallback:
            twin = self._parsed(node)
        self._twins[key] = twin
        return twin

    def _parsed(self, node: cst.CSTNode) -> Optional[ast.expr]:
        try:
            return ast.parse(f"({self._module.code_for_node(node)})", mode="eval").body
        except (SyntaxError, ValueError):
            return None

    def _sub(self, node: cst.BaseExpression) -> ast.expr:
        twin = self.expression(node)
        if twin is None:
            raise _Fallback
        return twin

    def _build(self, node: cst.BaseExpression) -> ast.expr:
        build = _BUILDERS.get(type(node))
        if build is None:
            raise _Fallback
        return build(self, node)

    # -- builders ------------------------------------------------------------------------
    def _name(self, node: cst.Name) -> ast.expr:
        if node.value in _CONSTANTS:
            return ast.Constant(value=_CONSTANTS[node.value])  # as Python 3 reads them
        return ast.Name(id=node.value, ctx=ast.Load())

    def _attribute(self, node: cst.Attribute) -> ast.expr:
        return ast.Attribute(value=self._sub(node.value), attr=node.attr.value, ctx=ast.Load())

    def _call(self, node: cst.Call) -> ast.expr:
        args: List[ast.expr] = []
        keywords: List[ast.keyword] = []
        for arg in node.args:
            value = self._sub(arg.value)
            if arg.star == "**":
                keywords.append(ast.keyword(arg=None, value=value))
            elif arg.keyword is not None:
                keywords.append(ast.keyword(arg=arg.keyword.value, value=value))
            elif arg.star == "*":
                args.append(ast.Starred(value=value, ctx=ast.Load()))
            else:
                args.append(value)
        return ast.Call(func=self._sub(node.func), args=args, keywords=keywords)

    def _subscript(self, node: cst.Subscript) -> ast.expr:
        items = [self._slice(element.slice) for element in node.slice]
        index = items[0] if len(items) == 1 else ast.Tuple(elts=items, ctx=ast.Load())
        return ast.Subscript(value=self._sub(node.value), slice=index, ctx=ast.Load())

    def _slice(self, item: cst.BaseSlice) -> ast.expr:
        if isinstance(item, cst.Index) and item.star is None:
            return self._sub(item.value)
        if isinstance(item, cst.Slice):
            return ast.Slice(*(self._sub(part) if part is not None else None
                               for part in (item.lower, item.upper, item.step)))
        raise _Fallback

    def _string(self, node: cst.BaseString) -> ast.expr:
        try:
            value = node.evaluated_value if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)) else None
        except (TypeError, ValueError, SyntaxError):  # ``'a' b'b'``: Python refuses it too
            raise _Fallback from None
        if isinstance(value, (str, bytes)):
            return ast.Constant(value=value)
        return ast.JoinedStr(values=[])  # an f-string (or strings concatenated with one)

    def _number(self, node: cst.BaseNumber) -> ast.expr:
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
            return ast.Constant(value=node.evaluated_value)
        raise _Fallback

    def _elements(self, node: cst.List | cst.Set | cst.Tuple) -> List[ast.expr]:
        found: List[ast.expr] = []
        for element in node.elements:
            value = self._sub(element.value)
            found.append(ast.Starred(value=value, ctx=ast.Load()) if isinstance(element, cst.StarredElement) else value)
        return found

    def _list(self, node: cst.List) -> ast.expr:
        return ast.List(elts=self._elements(node), ctx=ast.Load())

    def _tuple(self, node: cst.Tuple) -> ast.expr:
        return ast.Tuple(elts=self._elements(node), ctx=ast.Load())

    def _set(self, node: cst.Set) -> ast.expr:
        return ast.Set(elts=self._elements(node))

    def _dict(self, node: cst.Dict) -> ast.expr:
        return ast.Dict(keys=[], values=[])  # its type is never known; what is inside does not matter

    def _binary(self, node: cst.BinaryOperation) -> ast.expr:
        operator = _BINARY.get(type(node.operator))
        if operator is None:
            raise _Fallback
        return ast.BinOp(left=self._sub(node.left), op=operator(), right=self._sub(node.right))

    def _boolean(self, node: cst.BooleanOperation) -> ast.expr:
        operator = ast.And() if isinstance(node.operator, cst.And) else ast.Or()
        return ast.BoolOp(op=operator, values=[self._sub(node.left), self._sub(node.right)])

    def _if_exp(self, node: cst.IfExp) -> ast.expr:
        return ast.IfExp(test=self._sub(node.test), body=self._sub(node.body), orelse=self._sub(node.orelse))

    def _comprehension(self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp) -> ast.expr:
        return _COMPREHENSIONS[type(node)](elt=self._sub(node.elt), generators=self._generators(node.for_in))

    def _dict_comprehension(self, node: cst.DictComp) -> ast.expr:
        return ast.DictComp(key=self._sub(node.key), value=self._sub(node.value), generators=self._generators(node.for_in))

    def _generators(self, step: Optional[cst.CompFor]) -> List[ast.comprehension]:
        found = []
        while step is not None:
            found.append(ast.comprehension(
                target=self._target(step.target), iter=self._sub(step.iter),
                ifs=[self._sub(condition.test) for condition in step.ifs], is_async=int(step.asynchronous is not None),
            ))
            step = step.inner_for_in
        return found

    def _target(self, node: cst.BaseExpression) -> ast.expr:
        """A comprehension's target: names, tuples and lists of them (what gets bound)."""
        if isinstance(node, cst.Name):
            return ast.Name(id=node.value, ctx=ast.Store())
        if isinstance(node, (cst.Tuple, cst.List)):
            items: List[ast.expr] = []
            for element in node.elements:
                inner = self._target(element.value)
                items.append(ast.Starred(value=inner, ctx=ast.Store()) if isinstance(element, cst.StarredElement) else inner)
            return (ast.Tuple if isinstance(node, cst.Tuple) else ast.List)(elts=items, ctx=ast.Store())
        raise _Fallback


_BUILDERS: Dict[type, Callable[..., ast.expr]] = {
    cst.Name: AstOfCst._name, cst.Attribute: AstOfCst._attribute, cst.Call: AstOfCst._call,
    cst.Subscript: AstOfCst._subscript, cst.SimpleString: AstOfCst._string,
    cst.ConcatenatedString: AstOfCst._string, cst.FormattedString: AstOfCst._string,
    cst.Integer: AstOfCst._number, cst.Float: AstOfCst._number, cst.Imaginary: AstOfCst._number,
    cst.List: AstOfCst._list, cst.Tuple: AstOfCst._tuple, cst.Set: AstOfCst._set, cst.Dict: AstOfCst._dict,
    cst.BinaryOperation: AstOfCst._binary, cst.BooleanOperation: AstOfCst._boolean, cst.IfExp: AstOfCst._if_exp,
    cst.ListComp: AstOfCst._comprehension, cst.SetComp: AstOfCst._comprehension,
    cst.GeneratorExp: AstOfCst._comprehension, cst.DictComp: AstOfCst._dict_comprehension,
}
