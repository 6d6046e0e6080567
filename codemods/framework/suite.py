"""Run several rules in one traversal of a module.

Every rule is a libcst transformer of its own; running twenty of them one
after the other would resolve scopes and qualified names twenty times. The
suite resolves the metadata once, then walks the tree once with
:class:`_Dispatcher`, which calls each enabled rule's ``visit_<Node>`` and
``leave_<Node>`` in rule-id order. In ``leave``, each rule receives the node
as the previous rule returned it; once a rule replaces a node by a node of
another type, later rules no longer see that node.

The dispatcher also owns the statement stack the TODO comments attach to, and
after the traversal the suite runs the rules' ``finalize`` hooks and libcst's
``AddImportsVisitor`` / ``RemoveImportsVisitor`` exactly like
``CodemodCommand`` does.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple, Union, cast

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import QualifiedNameProvider, ScopeProvider

from codemods.analysis.assignments import AssignedValueProvider
from codemods.analysis.index import ProjectIndex, summarize_module
from codemods.analysis.inference import TypeEngine
from codemods.analysis.metadata import resolve as metadata_of
from codemods.framework import keys, matcher_cache
from codemods.framework.options import RuleOptions
from codemods.framework.todo import format_todo, with_todos

_FALLBACK_MODULE = "__db2ndb__"

matcher_cache.install()


class RuleSuite(CodemodCommand):
    """A libcst codemod command that runs a list of rules in a single pass."""

    DESCRIPTION = "db2ndb: rewrite legacy App Engine db code."

    def __init__(self, context: CodemodContext, rules: Sequence, options: Optional[RuleOptions] = None) -> None:
        super().__init__(context)
        self.rules = sorted(rules, key=lambda r: r.ID)
        self.options = options or keys.OPTIONS.get(context) or RuleOptions()
        keys.OPTIONS.setdefault(context, self.options)
        handles = set()
        for rule in self.rules:
            handles.update(rule.HANDLES)
        keys.ENABLED_HANDLES.set(context, frozenset(handles))

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:  # pragma: no cover - unused
        return tree

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """Resolve metadata once, run all rules in one traversal, then the import fix-ups."""
        module_name, package = self._module_name()
        index: Optional[ProjectIndex] = keys.INDEX.get(self.context)
        if index is None or index.modules.get(module_name) is None:
            index = _single_module_index(tree, module_name, package, index)
            keys.INDEX.set(self.context, index)
        resolved = metadata_of(tree)
        providers = set()
        for rule in self.rules:
            providers.update(rule.get_inherited_dependencies())
        metadata: Dict[Any, Any] = {  # provider class -> {node: value}, as libcst's MetadataWrapper holds it
            ScopeProvider: resolved.scopes,
            QualifiedNameProvider: resolved.qualified,
            AssignedValueProvider: resolved.bounds,
        }
        extra = providers - set(metadata)
        if extra:  # a rule asking for more than the shared metadata
            metadata.update(resolved.wrapper.resolve_many(extra))
        engine = TypeEngine(
            scopes=resolved.scopes,
            qualified=resolved.qualified,
            bounds=resolved.bounds,
            index=index,
            module_name=module_name,
            package=package,
            wrapper=resolved.wrapper,
        )
        keys.ENGINE.set(self.context, engine)
        dispatcher = _Dispatcher(self.rules)
        keys.DISPATCHER.set(self.context, dispatcher)
        for rule in self.rules:
            rule.metadata = metadata
            rule.context = self.context
        try:
            result = resolved.wrapper.module.visit(dispatcher)
            for rule in self.rules:
                result = rule.finalize(result)
        finally:
            for rule in self.rules:
                rule.metadata = {}
            keys.ENGINE.pop(self.context)
            keys.DISPATCHER.pop(self.context)
            keys.TODOS.set(self.context, list(dispatcher.todos))
        if self.context.scratch.get(AddImportsVisitor.CONTEXT_KEY):
            result = result.visit(_TopLevelAddImports(self.context))
        if self.context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY):
            result = RemoveImportsVisitor(self.context).transform_module(result)
        return result

    def _module_name(self) -> Tuple[str, str]:
        name = self.context.full_module_name or _FALLBACK_MODULE
        package = self.context.full_package_name
        if package is None:
            package = name.rpartition(".")[0]
        return name, package


def _single_module_index(
    tree: cst.Module, module_name: str, package: str, base: Optional[ProjectIndex]
) -> ProjectIndex:
    index = ProjectIndex(dict(base.modules) if base is not None else {})
    try:
        index.add(summarize_module(tree.code, module_name, package))
    except SyntaxError:
        pass
    return index


class _TopLevelAddImports(AddImportsVisitor):
    """libcst's ``AddImportsVisitor``, walking only what it can change.

    It only reads the imports at the top of the module and only rewrites
    module-level ``from`` imports and the module's body, yet libcst runs it
    over a deep copy of the whole tree, with a second full walk to gather the
    top imports. Here the gathering walk sees the leading statements only,
    the rewriting walk does not enter compound statements or statements that
    are not ``from`` imports, and nothing is copied (the suite's tree is
    already a fresh one). Same output.
    """

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node.with_changes(body=_leading_imports(node)))

    def on_visit(self, node: cst.CSTNode) -> bool:
        descend = super().on_visit(node)
        if isinstance(node, cst.BaseCompoundStatement):
            return False
        if isinstance(node, cst.BaseSmallStatement) and not isinstance(node, cst.ImportFrom):
            return False
        return descend


def _leading_imports(module: cst.Module) -> list:
    """The module's first statement and the import lines right after it (all the gatherer examines)."""
    body = list(module.body)
    end = 1
    while end < len(body) and _is_import_line(body[end]):
        end += 1
    return body[:end]


def _is_import_line(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], (cst.Import, cst.ImportFrom))
    )


_TABLES: Dict[type, Tuple[list, list]] = {}
#: what leaving a node gives libcst: the node, its replacement(s) or its removal
_Left = Union[cst.CSTNode, cst.FlattenSentinel, cst.RemovalSentinel]


def _method_table(rule_class: type) -> Tuple[list, list]:
    """``([(node kind, visit method name)], [(node kind, leave method name)])`` of a rule class."""
    table = _TABLES.get(rule_class)
    if table is None:
        names: Set[str] = set()
        for klass in rule_class.__mro__:
            if klass.__module__.startswith("libcst") or klass is object:
                continue  # libcst's own no-op visit_*/leave_* for every node type
            names.update(klass.__dict__)
        visits, leaves = [], []
        for name in sorted(names):
            if name.startswith("visit_") and name.count("_") == 1:
                visits.append((name[6:], name))
            elif name.startswith("leave_") and name.count("_") == 1:
                leaves.append((name[6:], name))
        table = _TABLES[rule_class] = (visits, leaves)
    return table


_IMPORT, _ATTRIBUTE, _ARG, _NAMED, _MODULE, _INERT = "import", "attribute", "arg", "named", "module", "inert"
_ROLES: Dict[type, Tuple[str, Optional[str], bool, bool]] = {}

#: node types whose subtrees hold only whitespace, comments, punctuation, operators and number literals
_INERT_FAMILIES: Tuple[type, ...] = (
    cst.BaseParenthesizableWhitespace, cst.TrailingWhitespace, cst.EmptyLine, cst.Comment, cst.Newline,
    cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual, cst.ImportStar, cst.Asynchronous,
    cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace,
    cst.RightCurlyBrace, cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp,
    cst.Integer, cst.Float, cst.Imaginary,
)


def _role(kind: type) -> Tuple[str, Optional[str], bool, bool]:
    """``(type name, role, is Name/Attribute, is a statement)`` of a node type, for the dispatcher (computed once per type)."""
    role = _ROLES.get(kind)
    if role is None:
        if issubclass(kind, (cst.Import, cst.ImportFrom)):
            which = _IMPORT
        elif issubclass(kind, cst.Attribute):
            which = _ATTRIBUTE
        elif issubclass(kind, cst.Arg):
            which = _ARG
        elif issubclass(kind, (cst.FunctionDef, cst.ClassDef, cst.Param)):
            which = _NAMED
        elif issubclass(kind, cst.Module):
            which = _MODULE
        elif issubclass(kind, _INERT_FAMILIES):
            which = _INERT
        else:
            which = None
        role = _ROLES[kind] = (
            kind.__name__,
            which,
            kind.__name__ in ("Name", "Attribute"),
            issubclass(kind, (cst.SimpleStatementLine, cst.BaseCompoundStatement)),
        )
    return role


def _handles_inert(visits: Dict[str, List], leaves: Dict[str, List]) -> bool:
    """Whether a rule has a visit/leave method for a node type of :data:`_INERT_FAMILIES`."""
    return any(issubclass(kind, _INERT_FAMILIES) for kind in _node_types(set(visits) | set(leaves)))


def _node_types(names: set) -> List[type]:
    return [kind for kind in vars(cst).values() if isinstance(kind, type) and kind.__name__ in names]


class _Dispatcher(cst.CSTTransformer):
    """Calls the enabled rules' visit/leave methods in order; attaches TODOs to statements."""

    def __init__(self, rules: Sequence) -> None:
        super().__init__()
        self._visit: Dict[str, List] = defaultdict(list)
        self._leave: Dict[str, List] = defaultdict(list)
        for rule in rules:
            visits, leaves = _method_table(type(rule))
            for kind, name in visits:
                self._visit[kind].append((rule, getattr(rule, name)))
            for kind, name in leaves:
                self._leave[kind].append((rule, getattr(rule, name)))
        # subtrees of whitespace, punctuation and numbers hold nothing a rule reads (unless one asks for them):
        # not entering them spares libcst rebuilding them; they reach the output as they are
        self._skip_inert = not _handles_inert(self._visit, self._leave)
        self._suspended: Dict[object, cst.CSTNode] = {}
        self._statements: List[cst.CSTNode] = []
        self._pending: Dict[int, List[str]] = {}
        self._after: Dict[int, List[cst.BaseStatement]] = {}
        self._module: Optional[cst.Module] = None
        self._not_access: set = set()
        self._import_depth = 0
        self.todos: List[Tuple[str, str]] = []

    def current_statement(self) -> Optional[cst.CSTNode]:
        """The innermost statement (of the original tree) being visited."""
        return self._statements[-1] if self._statements else None

    # -- TODOs -----------------------------------------------------------------
    def add_todo(self, rule_id: str, message: str, link: str) -> None:
        """Queue a TODO for the innermost statement being visited."""
        if not self._statements:
            return
        text = format_todo(rule_id, message, link)
        pending = self._pending.setdefault(id(self._statements[-1]), [])
        if text not in pending:
            pending.append(text)
            self.todos.append((rule_id, message))

    def add_after(self, statement: cst.BaseStatement) -> bool:
        """Queue ``statement`` to follow the innermost statement being visited (a simple one only)."""
        if not self._statements or not isinstance(self._statements[-1], cst.SimpleStatementLine):
            return False
        self._after.setdefault(id(self._statements[-1]), []).append(statement)
        return True

    # -- traversal -------------------------------------------------------------
    def on_visit(self, node: cst.CSTNode) -> bool:
        kind, role, name_like, statement = _role(type(node))
        if role is _INERT and self._skip_inert:
            return False
        if role is _IMPORT:
            self._import_depth += 1
        elif role is _ATTRIBUTE:
            self._not_access.add(id(cast(cst.Attribute, node).attr))
        elif role is _ARG:
            keyword = cast(cst.Arg, node).keyword
            if keyword is not None:
                self._not_access.add(id(keyword))
        elif role is _NAMED:
            self._not_access.add(id(cast(Any, node).name))  # a def, class, keyword ...: a node with a name
        elif role is _MODULE:
            self._module = cast(cst.Module, node)
        if name_like and (self._import_depth or id(node) in self._not_access):
            return True
        if statement:
            self._statements.append(node)
        for rule, method in self._visit.get(kind, ()):
            if rule in self._suspended:
                continue
            if method(node) is False:
                self._suspended[rule] = node
        return True

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):  # libcst: generic in the node type
        kind, role, name_like, statement = _role(type(original_node))
        result: _Left = updated_node
        if role is _INERT and self._skip_inert:
            return result
        if role is _IMPORT:
            self._import_depth -= 1
        elif name_like and (self._import_depth or id(original_node) in self._not_access):
            return result
        for rule, method in self._leave.get(kind, ()):
            held = self._suspended.get(rule)
            if held is not None and held is not original_node:
                continue
            if held is original_node:
                del self._suspended[rule]
            result = method(original_node, result)
            if not isinstance(result, type(original_node)):
                break
        if statement:
            self._statements.pop()
            comments = self._pending.pop(id(original_node), None)
            if comments:
                result = self._attach(original_node, result, comments)
            after = self._after.pop(id(original_node), None)
            if after and isinstance(result, cst.SimpleStatementLine):
                result = cst.FlattenSentinel([result, *after])
        return result

    # libcst looks up visit_<Node>_<attribute> for every attribute of every node; no rule is called so
    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    def _attach(self, original: cst.CSTNode, result: _Left, comments: List[str]) -> _Left:
        header: Sequence[cst.EmptyLine] = ()
        if self._module is not None and self._module.body and self._module.body[0] is original:
            header = self._module.header
        if isinstance(result, cst.FlattenSentinel):
            nodes = list(result.nodes)
            if nodes:
                nodes[0] = with_todos(nodes[0], comments, header)
            return cst.FlattenSentinel(nodes)
        if isinstance(result, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return with_todos(result, comments, header)
        return result


def python_names(module: cst.Module, context: CodemodContext) -> set:
    """Every identifier used anywhere in ``module`` (generated code read by Python's ast; fast).

    The generated code is remembered in the context, so the pipeline does not
    generate it a second time when nothing changes afterwards.
    """
    code = module.code
    keys.CODE.set(context, (module, code))
    return {node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name)}
