"""Where each variable got its value: a batchable libcst metadata provider.

libcst's ScopeProvider tells which assignment nodes bind a name (for
``x = M.all()`` the assignment node is the ``Name`` target). This provider maps
those target nodes back to what was assigned, which is what the type inference
needs:

* ``x = value`` / ``x: T = value``      -> ``Bound("value", value)``
* ``for x in iterable`` / comprehensions -> ``Bound("item", iterable)``
* ``a, (b, c) = value`` / ``for i, (k, e) in ...`` -> the same, with the
  position of the name in the target (``path=(1, 0)`` for ``k``)
* ``with cm as x``, ``x += ...``, starred targets -> ``Bound("unknown", None)``
* the first parameter of a method        -> ``Bound("self"|"cls", None, class node)``
* any other parameter                    -> ``Bound("param", function="outer.inner")``, the
  dotted name of its function in the module, so the project's call sites can
  tell what it receives (:class:`~codemods.analysis.program.Program`)
* ``xs.append(v)`` / ``xs.insert(i, v)`` -> on the *access* ``xs``: ``Bound("append", v)``,
  so an ``xs = []`` list gets an item type from what is appended to it
* the parameter of a sort key ``sorted(xs, key=lambda x: ...)`` (also ``min``, ``max``,
  ``xs.sort(key=...)``) -> ``Bound("item", xs)``
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

import libcst as cst
from libcst.metadata import BatchableMetadataProvider


@dataclass(frozen=True)
class Bound:
    """How a name target got its value."""

    how: str  # value | item | self | cls | param | append | unknown
    value: Optional[cst.BaseExpression] = None
    cls: Optional[cst.ClassDef] = None
    path: tuple = ()
    #: for ``param``: the dotted name of the function in its module (``add_post``, ``Handler.get``)
    function: Optional[str] = None


class AssignedValueProvider(BatchableMetadataProvider[Bound]):
    """Maps assignment targets (Name nodes, method parameters) to how they were bound."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: List[Optional[cst.ClassDef]] = [None]
        self._names: List[str] = []

    # assignments ---------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, "value", node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, "value", node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, "unknown", None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, "value", node.value)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, "item", node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target, "item", node.iter)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, "unknown", None)

    def _bind(self, target: cst.BaseExpression, how: str, value: Optional[cst.BaseExpression], path: tuple = ()) -> None:
        if isinstance(target, cst.Name):
            self.set_metadata(target, Bound(how, value, path=path))
        elif isinstance(target, (cst.Tuple, cst.List)):
            starred = any(isinstance(e, cst.StarredElement) for e in target.elements)
            for index, element in enumerate(target.elements):
                if starred:
                    self._bind(element.value, "unknown", None)
                else:
                    self._bind(element.value, how, value, path + (index,))
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, "unknown", None)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        self._sort_key(node)
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and node.args:
            if func.attr.value == "append" and len(node.args) == 1:
                self.set_metadata(func.value, Bound("append", node.args[0].value))
            elif func.attr.value == "insert" and len(node.args) == 2:
                self.set_metadata(func.value, Bound("append", node.args[1].value))

    def _sort_key(self, node: cst.Call) -> None:
        """``sorted(xs, key=lambda x: ...)``: ``x`` is an item of ``xs``."""
        func = node.func
        if isinstance(func, cst.Name) and func.value in ("sorted", "min", "max") and node.args \
                and node.args[0].keyword is None and not node.args[0].star:
            items = node.args[0].value
        elif isinstance(func, cst.Attribute) and func.attr.value == "sort":
            items = func.value
        else:
            return
        for item in node.args:
            if item.keyword is not None and item.keyword.value == "key" and isinstance(item.value, cst.Lambda):
                params = item.value.params.params
                if len(params) == 1 and not isinstance(item.value.params.star_arg, cst.Param):
                    self.set_metadata(params[0], Bound("item", items))

    # self / cls ------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(node)
        self._names.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()
        self._names.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        cls = self._classes[-1]
        self._classes.append(None)  # nested functions are not methods
        self._names.append(node.name.value)
        function = ".".join(self._names)
        params = [*node.params.posonly_params, *node.params.params, *node.params.kwonly_params]
        first = None
        if cls is not None and params:
            decorators = {_decorator_name(d) for d in node.decorators}
            if "staticmethod" not in decorators:
                first = params[0]
                self.set_metadata(first, Bound("cls" if "classmethod" in decorators else "self", None, cls))
        for param in params:
            if param is not first:
                self.set_metadata(param, Bound("param", function=function))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._classes.pop()
        self._names.pop()


def _decorator_name(decorator: cst.Decorator) -> str:
    node = decorator.decorator
    if isinstance(node, cst.Call):
        node = node.func
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return ""
