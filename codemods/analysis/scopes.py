"""The scopes of one module, read with Python's ``ast``: what binds each name, what is called, what is used.

Python's scoping rules, enough for :class:`~codemods.analysis.program.Program`:
module, function (also lambda), class body and comprehension scopes; a
method looks names up in the scope around its class, not in the class body;
``global`` redirects a binding to the module. Each binding records how the
name got its value (assigned, a loop item, a parameter, a ``def``, an
import, the item of the list a sort-key lambda sorts), and one pass also
collects every call and every use of a name that may be a function (a
``def`` or an import of the module), so the program can find all call sites
of a function and the places it escapes, what is appended to each list
(``xs.append(v)``), and the names an ``if isinstance(x, K):`` narrows.

Why a scanner of our own and not libcst's ScopeProvider: the project phase
reads *every* file of the run, and libcst's metadata costs several times
Python's ``ast`` (docs/codemods.md, "Performance"). This is the only scope
model of the ``ast`` side; the per-file view
(:class:`~codemods.analysis.inference.TypeEngine`) keeps libcst's scopes for
what rules ask about names, and finds the scope of this model a libcst node
sits in with :meth:`ModuleScopes.scope_by_path` (see :func:`scope_path`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from codemods.framework.names import absolute_module


@dataclass
class Binding:
    """One way a name gets a value in a scope."""

    how: str  # value | item | param | def | class | import | unknown
    value: Optional[ast.AST] = None
    path: tuple = ()
    scope: Optional["Scope"] = None  # where ``value`` is evaluated (comprehension iterables)
    target: Optional[str] = None  # for import: the qualified name


@dataclass(eq=False)
class Scope:
    """The names bound in a module, function, class body or comprehension."""

    kind: str  # module | function | class | comprehension
    module: "ModuleScopes"
    node: Optional[ast.AST] = None
    parent: Optional["Scope"] = None  # the enclosing scope names are looked up in (never a class)
    name: str = ""  # dotted name in the module (``add_post``, ``Handler.get``)
    cls: Optional[ast.ClassDef] = None  # for methods: their class
    bindings: Dict[str, List[Binding]] = field(default_factory=dict)
    global_names: Set[str] = field(default_factory=set)
    returns: List[Optional[ast.AST]] = field(default_factory=list)
    is_generator: bool = False
    params: List[str] = field(default_factory=list)  # every named parameter
    positional: List[str] = field(default_factory=list)  # the ones a positional argument can fill
    defaults: Dict[str, ast.AST] = field(default_factory=dict)

    def bind(self, name: str, binding: Binding) -> None:
        owner = self.module.scope if name in self.global_names and self.module.scope is not None else self
        owner.bindings.setdefault(name, []).append(binding)


@dataclass(eq=False)
class ModuleScopes:
    """One parsed module: its scopes and what it calls."""

    name: str
    info: Any  # the index's ModuleInfo (not imported: the index imports this package's Program)
    scope: Optional[Scope] = None
    functions: Dict[str, Scope] = field(default_factory=dict)  # by dotted name: module-level and nested, no methods
    decorated: Dict[str, List[ast.AST]] = field(default_factory=dict)
    calls: List[Tuple[ast.Call, Scope]] = field(default_factory=list)
    references: List[Tuple[ast.AST, Scope]] = field(default_factory=list)  # names used, not called
    comprehensions: Dict[int, Scope] = field(default_factory=dict)
    statement_calls: Set[int] = field(default_factory=set)  # ids of calls that are whole expression statements
    #: ``xs.append(v)`` / ``xs.insert(i, v)``: (list name, scope of the call, v)
    appends: List[Tuple[str, Scope, ast.AST]] = field(default_factory=list)
    #: id of a Name read inside ``if isinstance(name, K):`` -> [(K, scope of the test)], innermost test first
    narrowed: Dict[int, List[Tuple[ast.AST, Scope]]] = field(default_factory=dict)
    #: the module has an ``if isinstance(name, K):``
    narrows: bool = False
    #: ids of the expressions scanned after the module (:meth:`Scanner.scan_expression`)
    scanned: Set[int] = field(default_factory=set)
    #: id of a def / lambda / class / comprehension node -> the scope it opens
    scope_nodes: Dict[int, Scope] = field(default_factory=dict)
    tree: Optional[ast.Module] = None
    _paths: Optional[Dict[tuple, ast.AST]] = None

    def scope_by_path(self, path: tuple) -> Optional[Scope]:
        """The scope opened by the scope node at ``path``; the module's for ``()``; None if there is no such node.

        A path names a scope node by itself and the scope nodes around it,
        outermost first, each as ``(kind, name, ordinal)``: its kind
        (:data:`SCOPE_KINDS`), its name (``def`` / ``class``; ``""`` otherwise)
        and its ordinal among the scope nodes of that kind and name directly
        inside the same scope node (not inside a nested one), in source order.
        The same path names the same node in a libcst tree of the same source
        (:meth:`TypeEngine._scope_path <codemods.analysis.inference.TypeEngine>`).
        """
        if not path:
            return self.scope
        if self._paths is None:
            self._paths = _scope_paths(self.tree) if self.tree is not None else {}
        node = self._paths.get(path)
        return self.scope_nodes.get(id(node)) if node is not None else None


#: the nodes that open a scope, and the kind :func:`scope_path` names them by
SCOPE_KINDS = {
    ast.FunctionDef: "def", ast.AsyncFunctionDef: "def", ast.Lambda: "lambda", ast.ClassDef: "class",
    ast.ListComp: "listcomp", ast.SetComp: "setcomp", ast.DictComp: "dictcomp", ast.GeneratorExp: "genexp",
}


def _scope_paths(tree: ast.Module) -> Dict[tuple, ast.AST]:
    """Every scope node of ``tree`` by its path (:meth:`ModuleScopes.scope_by_path`; source order from positions)."""
    found: Dict[tuple, ast.AST] = {}
    pending: List[Tuple[tuple, ast.AST]] = [((), tree)]
    while pending:
        path, owner = pending.pop()
        inner: List[ast.AST] = []
        stack = list(ast.iter_child_nodes(owner))
        while stack:
            node = stack.pop()
            if type(node) in SCOPE_KINDS:
                inner.append(node)
            else:
                stack.extend(ast.iter_child_nodes(node))
        inner.sort(key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))
        counts: Dict[tuple, int] = {}
        for node in inner:
            kind = SCOPE_KINDS[type(node)]
            name = getattr(node, "name", "")
            ordinal = counts.get((kind, name), 0)
            counts[(kind, name)] = ordinal + 1
            step = path + ((kind, name, ordinal),)
            found[step] = node
            pending.append((step, node))
    return found


class Scanner(ast.NodeVisitor):
    """One pass over a module: its scopes and bindings, its calls, the names it uses."""

    def __init__(self, module: ModuleScopes, scope: Optional[Scope] = None) -> None:
        self.module = module
        #: False for an expression scanned after the module (:meth:`scan_expression`): nothing it calls,
        #: uses, appends or binds is recorded, only the scopes and narrowed names inside it
        self.recording = scope is None
        if scope is None:
            scope = Scope(kind="module", module=module)
            module.scope = scope
        self.scope: Scope = scope
        self.callable_names: Set[str] = set()
        #: the ``if isinstance(name, K):`` bodies being visited: (name, K, scope of the test), outermost first
        self.narrowing: List[Tuple[str, ast.AST, Scope]] = []
        self._sort_keys: Dict[int, Tuple[ast.AST, Scope]] = {}

    def scan_expression(self, expr: ast.AST, narrowing: List[Tuple[str, ast.AST, Scope]]) -> None:
        """Scan an expression evaluated in this scanner's scope (the scopes inside it, the names narrowed in it).

        ``narrowing``: the ``isinstance`` tests around it, outermost first.
        """
        self.narrowing = list(narrowing)
        if id(expr) not in self.module.scanned:
            self.visit(expr)

    def visit(self, node: ast.AST) -> None:
        """Visit ``node``; after the module, only expressions not scanned before (the view shares subexpressions)."""
        if not self.recording:
            if id(node) in self.module.scanned:
                return
            self.module.scanned.add(id(node))
        super().visit(node)

    def scan(self, tree: ast.Module) -> None:
        """Fill the module's scopes, calls and references from its tree."""
        self.module.tree = tree
        # every name a def or an import binds anywhere in the module: only uses of these can be calls of
        # (or references to) a project function
        self.callable_names = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.callable_names.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    self.callable_names.add((alias.asname or alias.name).split(".")[0])
        for stmt in tree.body:
            self.visit(stmt)

    # scopes ------------------------------------------------------------------------------
    def _enclosing(self) -> Scope:
        """The scope a nested function looks names up in (class bodies are skipped)."""
        scope = self.scope
        while scope.kind == "class" and scope.parent is not None:
            scope = scope.parent
        return scope

    def visit_FunctionDef(self, node) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._visit_defaults(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        self.scope.bind(node.name, Binding("def", node))
        cls = self.scope.node if self.scope.kind == "class" and isinstance(self.scope.node, ast.ClassDef) else None
        name = f"{self.scope.name}.{node.name}" if self.scope.name else node.name
        inner = Scope(kind="function", module=self.module, node=node, parent=self._enclosing(), name=name, cls=cls)
        self._bind_params(inner, node.args)
        self.module.scope_nodes[id(node)] = inner
        if self.scope.kind in ("module", "function") and self.scope.name != "<lambda>":
            self.module.functions[name] = inner  # not methods: their callers are rarely known
            if node.decorator_list:
                self.module.decorated[name] = list(node.decorator_list)
        self._visit_body(inner, node.body)

    def _visit_body(self, inner: Scope, body: list) -> None:
        """The statements of a def / lambda / class body: in its scope, out of the ``isinstance`` tests around it."""
        outer, self.scope = self.scope, inner
        narrowing, self.narrowing = self.narrowing, []
        for stmt in body:
            self.visit(stmt)
        self.scope, self.narrowing = outer, narrowing

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_defaults(node.args)
        inner = Scope(kind="function", module=self.module, node=node, parent=self._enclosing(), name="<lambda>")
        self._bind_params(inner, node.args)
        self.module.scope_nodes[id(node)] = inner
        sorted_items = self._sort_keys.get(id(node))
        if sorted_items is not None:
            # ``sorted(xs, key=lambda x: ...)``: ``x`` is an item of ``xs``
            inner.bindings[inner.params[0]] = [Binding("item", sorted_items[0], (), sorted_items[1])]
        self._visit_body(inner, [node.body])

    def _visit_defaults(self, args: ast.arguments) -> None:
        for default in [*args.defaults, *[d for d in args.kw_defaults if d is not None]]:
            self.visit(default)

    @staticmethod
    def _bind_params(scope: Scope, args: ast.arguments) -> None:
        positional = [*args.posonlyargs, *args.args]
        scope.positional = [p.arg for p in positional]
        for param in [*positional, *args.kwonlyargs]:
            scope.params.append(param.arg)
            scope.bind(param.arg, Binding("param"))
        for param, default in zip(positional[len(positional) - len(args.defaults):], args.defaults):
            scope.defaults[param.arg] = default
        for keyword, keyword_default in zip(args.kwonlyargs, args.kw_defaults):
            if keyword_default is not None:
                scope.defaults[keyword.arg] = keyword_default
        for rest in (args.vararg, args.kwarg):
            if rest is not None:
                scope.bind(rest.arg, Binding("unknown"))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *[k.value for k in node.keywords]]:
            self.visit(expr)
        self.scope.bind(node.name, Binding("class", node))
        name = f"{self.scope.name}.{node.name}" if self.scope.name else node.name
        inner = Scope(kind="class", module=self.module, node=node, parent=self.scope, name=name)
        self.module.scope_nodes[id(node)] = inner
        self._visit_body(inner, node.body)

    def _comprehension(self, node, elements) -> None:
        inner = Scope(kind="comprehension", module=self.module, node=node, parent=self._enclosing())
        self.module.comprehensions[id(node)] = inner
        self.module.scope_nodes[id(node)] = inner
        for index, generator in enumerate(node.generators):
            # the first iterable is evaluated in the enclosing scope
            where = self.scope if index == 0 else inner
            outer, self.scope = self.scope, where
            self.visit(generator.iter)
            self.scope = outer
            bind_target(inner, generator.target, "item", generator.iter, (), where)
            outer, self.scope = self.scope, inner
            for condition in generator.ifs:
                self.visit(condition)
            self.scope = outer
        outer, self.scope = self.scope, inner
        for element in elements:
            self.visit(element)
        self.scope = outer

    def visit_ListComp(self, node) -> None:
        self._comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node) -> None:
        self._comprehension(node, [node.key, node.value])

    # bindings ------------------------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            bind_target(self.scope, target, "value", node.value)
            self._visit_target(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            bind_target(self.scope, node.target, "value", node.value)
        self._visit_target(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        bind_target(self.scope, node.target, "unknown", None)
        self._visit_target(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        if self.recording:
            bind_target(self._enclosing() if self.scope.kind == "comprehension" else self.scope,
                         node.target, "value", node.value)

    def visit_For(self, node) -> None:
        self.visit(node.iter)
        bind_target(self.scope, node.target, "item", node.iter)
        self._visit_target(node.target)
        for stmt in [*node.body, *node.orelse]:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_With(self, node) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                bind_target(self.scope, item.optional_vars, "unknown", None)
                self._visit_target(item.optional_vars)
        for stmt in node.body:
            self.visit(stmt)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.scope.bind(node.name, Binding("unknown"))
        for stmt in node.body:
            self.visit(stmt)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.scope.bind(alias.asname, Binding("import", target=alias.name))
            else:
                root = alias.name.split(".")[0]
                self.scope.bind(root, Binding("import", target=root))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = absolute_module(node.module, node.level, self.module.info.package)
        for alias in node.names:
            if alias.name == "*":
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            self.scope.bind(alias.asname or alias.name, Binding("import", target=target))

    def visit_Global(self, node: ast.Global) -> None:
        if self.scope.kind != "module":  # `global x` at module level changes nothing
            self.scope.global_names.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        pass  # looked up outwards anyway

    def visit_If(self, node: ast.If) -> None:
        self.visit(node.test)
        narrows = isinstance_test(node.test)
        if narrows is not None:
            self.module.narrows = True
            self.narrowing.append((*narrows, self.scope))
        for stmt in node.body:
            self.visit(stmt)
        if narrows is not None:
            self.narrowing.pop()
        for stmt in node.orelse:
            self.visit(stmt)

    def _narrow(self, node: ast.Name) -> None:
        """Note the ``isinstance`` tests around a name that is read."""
        if self.narrowing:
            found = [(kind, where) for name, kind, where in reversed(self.narrowing) if name == node.id]
            if found:
                self.module.narrowed[id(node)] = found

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Call) and self.recording:
            self.module.statement_calls.add(id(node.value))
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None:
            self.visit(node.value)
        self._enclosing().returns.append(node.value)

    def visit_Yield(self, node) -> None:
        self._enclosing().is_generator = True
        self.generic_visit(node)

    visit_YieldFrom = visit_Yield

    # uses ----------------------------------------------------------------------------------
    def _may_name_a_function(self, name: str) -> bool:
        """Could ``name`` (the root of a dotted name) reach a project function? A cheap, sound pre-filter."""
        return name in self.callable_names or bool(self.module.info.star_imports)

    def _hands_on(self, arg: ast.AST) -> bool:
        """An argument that may be a transaction runner handed on (``g(db.run_in_transaction, f, a)``)."""
        while isinstance(arg, ast.Attribute):
            arg = arg.value
        return isinstance(arg, ast.Name) and self._may_name_a_function(arg.id)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name):
            # a dotted callee ``a.b.c(...)`` is called, not used as a value: its parts are not references
            self._narrow(root)
            if self.recording and (self._may_name_a_function(root.id) or any(self._hands_on(a) for a in node.args)):
                self.module.calls.append((node, self.scope))
        else:
            self.visit(func)
        self._note_list_use(node)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            self.visit(keyword.value)

    def _note_list_use(self, node: ast.Call) -> None:
        """``xs.append(v)`` / ``xs.insert(i, v)``, and the lambda of ``sorted(xs, key=lambda x: ...)`` / ``xs.sort(key=...)``."""
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and self.recording:
            count = len(node.args) + len(node.keywords)
            if func.attr == "append" and count == 1 and node.args:
                self.module.appends.append((func.value.id, self.scope, node.args[0]))
            elif func.attr == "insert" and count == 2 and len(node.args) == 2:
                self.module.appends.append((func.value.id, self.scope, node.args[1]))
        if isinstance(func, ast.Name) and func.id in ("sorted", "min", "max") and node.args \
                and not isinstance(node.args[0], ast.Starred):
            items = node.args[0]
        elif isinstance(func, ast.Attribute) and func.attr == "sort":
            items = func.value
        else:
            return
        for keyword in node.keywords:
            key = keyword.value
            if keyword.arg == "key" and isinstance(key, ast.Lambda) and len(key.args.args) == 1 \
                    and key.args.vararg is None and not key.args.posonlyargs:
                self._sort_keys[id(key)] = (items, self.scope)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self._narrow(node)
            if self.recording and self._may_name_a_function(node.id):
                self.module.references.append((node, self.scope))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        root = node.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name):
            self._narrow(root)
            if self.recording and isinstance(node.ctx, ast.Load) and self._may_name_a_function(root.id):
                self.module.references.append((node, self.scope))
        else:
            self.visit(node.value)

    def _visit_target(self, target: ast.AST) -> None:
        """Subscripts and attributes in an assignment target read their receivers."""
        for node in ast.walk(target):
            if isinstance(node, (ast.Subscript, ast.Attribute)):
                self.visit(node.value)
                if isinstance(node, ast.Subscript):
                    self.visit(node.slice)


def bind_target(scope: Scope, target: ast.AST, how: str, value, path: tuple = (), where: Optional[Scope] = None) -> None:
    """Bind the names of an assignment target (``a``, ``a, (b, c)``; starred names are unknown)."""
    if isinstance(target, ast.Name):
        scope.bind(target.id, Binding(how, value, path, where))
    elif isinstance(target, (ast.Tuple, ast.List)):
        starred = any(isinstance(e, ast.Starred) for e in target.elts)
        for index, element in enumerate(target.elts):
            if starred:
                bind_target(scope, element, "unknown", None)
            else:
                bind_target(scope, element, how, value, path + (index,), where)
    elif isinstance(target, ast.Starred):
        bind_target(scope, target.value, "unknown", None)


def isinstance_test(test: ast.AST) -> Optional[Tuple[str, ast.AST]]:
    """``(name, kind)`` for an ``if`` test ``isinstance(name, kind)`` (``kind`` a dotted name), else None.

    Inside such an ``if`` (not its ``else``), ``name`` is taken to be what ``kind`` says
    (:meth:`Program._isinstance_type <codemods.analysis.program.Program>`).
    """
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance" \
            and len(test.args) == 2 and not test.keywords and isinstance(test.args[0], ast.Name) \
            and isinstance(test.args[1], (ast.Name, ast.Attribute)):
        return test.args[0].id, test.args[1]
    return None


def decorator_name(node: ast.AST) -> str:
    """The last name of a decorator expression (``staticmethod``, ``transactional`` of ``db.transactional(...)``)."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""
