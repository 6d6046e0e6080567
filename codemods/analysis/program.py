"""Inter-procedural facts: what the project's functions return and what their parameters receive.

Legacy code passes models, entities and keys between functions all the
time::

    def author_for(nickname):
        return Author.get_or_insert('author:' + nickname, nickname=nickname)

    def create_thread(nickname, title):
        thread = Thread(title=title, author=author_for(nickname))   # -> author_for(...).key
        thread.put()
        add_post(thread.key(), nickname)

    def add_post(thread_key, nickname):
        thread = db.get(thread_key)                                  # -> thread_key.get()

:class:`Program` answers two questions for the per-file
:class:`~codemods.analysis.inference.TypeEngine`, over *every* file of the
run, read with Python's ``ast`` (a fraction of the cost of libcst's
metadata):

* :meth:`Program.return_type` - a function's result: the join of the types
  of all its ``return`` values (``return None`` and falling off the end are
  ignored: an Optional result is still that type);
* :meth:`Program.param_type` - a function's parameter: the join of the
  arguments at *all* its call sites in the project (``None`` arguments
  ignored, a default counts where a call leaves it out;
  ``db.run_in_transaction(f, a)`` is a call ``f(a)``).

Functions are those defined once at module level or inside another function
(a transaction callback ``def txn(key): ...``), named by module and dotted
path (``logic.add_post.txn``).

Conservative, like the rest of the inference: a parameter is unknown when
the function is used other than by calling it (passed as a callback,
assigned, decorated by anything but a transaction decorator), when a call
passes ``*args`` / ``**kwargs``, when any call site's argument is unknown,
or when nothing calls it. Methods are not followed (their callers are rarely
known). Recursion is resolved optimistically (a value that depends on
itself adds nothing), as in the per-file engine. The run is taken to be the
whole application: a function called only from code outside the run gets
its type from the calls inside it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from codemods.analysis.types import (
    SPLIT_METHODS, CallFacts, EntityT, LegacyType, ListT, ModelClassT, NumberT, StrT, TupleT,
    attribute_result, class_method_result, item_type, join, legacy_call_result, method_result, runner_callback,
    split_result,
)
from codemods.framework.names import canonical

#: decorators that pass a function's arguments and result through unchanged
_TRANSPARENT_DECORATORS = frozenset({
    "db.transactional", "db.non_transactional", "ndb.transactional", "ndb.non_transactional",
    "ndb.transactional_tasklet",
})


class _Cycle:
    """Marker: the value depends on itself; adds nothing to a join. Never returned to callers."""


_CYCLE = _Cycle()
_UNKNOWN = object()
_MAX_DEPTH = 120


@dataclass
class _Binding:
    """One way a name gets a value in a scope."""

    how: str  # value | item | param | def | class | import | unknown
    value: Optional[ast.AST] = None
    path: tuple = ()
    scope: Optional["_Scope"] = None  # where ``value`` is evaluated (comprehension iterables)
    target: Optional[str] = None  # for import: the qualified name


@dataclass(eq=False)
class _Scope:
    """The names bound in a module, function, class body or comprehension."""

    kind: str  # module | function | class | comprehension
    module: "_Module"
    node: Optional[ast.AST] = None
    parent: Optional["_Scope"] = None  # the enclosing scope names are looked up in (never a class)
    name: str = ""  # dotted name in the module (``add_post``, ``Handler.get``)
    cls: Optional[ast.ClassDef] = None  # for methods: their class
    bindings: Dict[str, List[_Binding]] = field(default_factory=dict)
    global_names: Set[str] = field(default_factory=set)
    returns: List[Optional[ast.AST]] = field(default_factory=list)
    is_generator: bool = False
    params: List[str] = field(default_factory=list)  # every named parameter
    positional: List[str] = field(default_factory=list)  # the ones a positional argument can fill
    defaults: Dict[str, ast.AST] = field(default_factory=dict)

    def bind(self, name: str, binding: _Binding) -> None:
        owner = self.module.scope if name in self.global_names and self.module.scope is not None else self
        owner.bindings.setdefault(name, []).append(binding)


@dataclass(eq=False)
class _Module:
    """One parsed module: its scopes and what it calls."""

    name: str
    info: object  # ModuleInfo
    scope: Optional[_Scope] = None
    functions: Dict[str, _Scope] = field(default_factory=dict)  # by dotted name: module-level and nested, no methods
    decorated: Dict[str, List[ast.AST]] = field(default_factory=dict)
    calls: List[Tuple[ast.Call, _Scope]] = field(default_factory=list)
    references: List[Tuple[ast.AST, _Scope]] = field(default_factory=list)  # names used, not called
    comprehensions: Dict[int, _Scope] = field(default_factory=dict)


class Program:
    """Return and parameter types of the project's functions (not methods), across files."""

    def __init__(self, index) -> None:
        self.index = index
        self._modules: Dict[str, Optional[_Module]] = {}
        self._memo: Dict[tuple, object] = {}
        self._in_progress: Set[tuple] = set()
        self._cycles = 0
        self._depth = 0
        self._call_sites: Optional[Dict[str, List[Tuple[ast.Call, _Scope, int]]]] = None
        self._escaped: Set[str] = set()
        self._functions: Dict[str, Optional[_Scope]] = {}

    # -- the questions ------------------------------------------------------------------
    def return_type(self, qualname: str) -> Optional[LegacyType]:
        """What calling the function ``qualname`` gives (None: unknown)."""
        return self._public(("return", qualname), lambda: self._return_type(qualname))

    def param_type(self, qualname: str, param: str) -> Optional[LegacyType]:
        """What every call in the project passes to ``param`` of function ``qualname`` (None: unknown)."""
        return self._public(("param", qualname, param), lambda: self._param_type(qualname, param))

    def _public(self, key: tuple, compute) -> Optional[LegacyType]:
        found = self._memoized(key, compute)
        return None if found is _CYCLE else found  # type: ignore[return-value]

    def _memoized(self, key: tuple, compute):
        cached = self._memo.get(key, _UNKNOWN)
        if cached is not _UNKNOWN:
            return cached
        if key in self._in_progress:
            self._cycles += 1
            return _CYCLE
        if self._depth >= _MAX_DEPTH:
            # a chain this long is left unknown rather than risk Python's recursion limit; like a cycle,
            # it keeps the values that depend on it out of the memo (only the outermost question is kept)
            self._cycles += 1
            return None
        cycles = self._cycles
        self._in_progress.add(key)
        self._depth += 1
        try:
            result = compute()
        finally:
            self._in_progress.discard(key)
            self._depth -= 1
        if self._cycles == cycles or self._depth == 0:
            self._memo[key] = None if result is _CYCLE else result
        return result

    # -- functions ----------------------------------------------------------------------
    def is_function(self, qualname: str) -> bool:
        """True if ``qualname`` is a function whose calls can be followed (module-level or nested)."""
        return self._function(qualname) is not None

    def _function(self, qualname: str) -> Optional[_Scope]:
        """The scope of a function defined once at module level or inside another function (not a method).

        ``qualname`` is the module name and the function's dotted name in it
        (``logic.add_post``, ``logic.add_post.txn``).
        """
        if qualname in self._functions:
            return self._functions[qualname]
        found = None
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            info = self.index.modules.get(".".join(parts[:cut])) or self.index.find_module(".".join(parts[:cut]))
            if info is None:
                continue
            module = self._module(info.name)
            scope = module.functions.get(".".join(parts[cut:])) if module is not None else None
            if scope is not None and len(scope.parent.bindings.get(scope.node.name, ())) == 1 \
                    and self._transparent(module, scope.name):
                found = scope
            break
        self._functions[qualname] = found
        return found

    def _transparent(self, module: _Module, name: str) -> bool:
        for decorator in module.decorated.get(name, ()):
            node = decorator.func if isinstance(decorator, ast.Call) else decorator
            if not self._legacy_names(node, module.scope) & _TRANSPARENT_DECORATORS:
                return False
        return True

    def _return_type(self, qualname: str):
        scope = self._function(qualname)
        if scope is None or scope.is_generator:
            return None
        values = [v for v in scope.returns if v is not None and not _is_none(v)]
        if not values:
            return None
        return _join([self._type(value, scope) for value in values])

    def _param_type(self, qualname: str, param: str):
        scope = self._function(qualname)
        if scope is None or param not in scope.params:
            return None
        sites = self._sites().get(qualname)
        if not sites or qualname in self._escaped:
            return None
        position = scope.positional.index(param) if param in scope.positional else None
        found = []
        for call, where, offset in sites:
            value = _argument(call, position, offset, param, scope.defaults.get(param))
            if value is _UNKNOWN:
                return None
            if value is None or _is_none(value):
                continue
            evaluated = self._type(value, where if value is not scope.defaults.get(param) else scope.parent)
            if evaluated is None:
                return None
            found.append(evaluated)
        return _join(found) if found else None

    def _sites(self) -> Dict[str, List[Tuple[ast.Call, _Scope, int]]]:
        """Every call of a project function, and the functions used other than by a call.

        ``db.run_in_transaction(f, a, b)`` counts as a call ``f(a, b)`` (the
        third item of a site is where the function's arguments start).
        """
        if self._call_sites is None:
            table: Dict[str, List[Tuple[ast.Call, _Scope, int]]] = {}
            passed: Set[int] = set()
            for name in list(self.index.modules):
                module = self._module(name)
                if module is None:
                    continue
                for call, scope in module.calls:
                    target = self._callee(call.func, scope)
                    if target is not None:
                        table.setdefault(target, []).append((call, scope, 0))
                        continue
                    callback = self._runner_callback(call, scope)
                    if callback is not None:
                        position, target = callback
                        table.setdefault(target, []).append((call, scope, position + 1))
                        passed.add(id(call.args[position]))
                for node, scope in module.references:
                    if id(node) in passed:
                        continue
                    target = self._callee(node, scope)
                    if target is not None:
                        self._escaped.add(target)
            self._call_sites = table
        return self._call_sites

    def _runner_callback(self, call: ast.Call, scope: _Scope) -> Optional[Tuple[int, str]]:
        """``(position, function)`` if ``call`` runs a project function in a transaction."""
        position = runner_callback(self._legacy_names(call.func, scope))
        if position is None or len(call.args) <= position:
            return None
        if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return None
        target = self._callee(call.args[position], scope)
        return (position, target) if target is not None else None

    # -- modules ------------------------------------------------------------------------
    def _module(self, name: str) -> Optional[_Module]:
        if name in self._modules:
            return self._modules[name]
        info = self.index.modules.get(name)
        module = None
        if info is not None and info.source is not None:
            try:
                tree = ast.parse(info.source)
            except SyntaxError:
                tree = None
            if tree is not None:
                module = _Module(name=name, info=info)
                _Scanner(module).scan(tree)
        self._modules[name] = module
        return module

    # -- names --------------------------------------------------------------------------
    def _lookup(self, name: str, scope: _Scope) -> Tuple[Optional[_Scope], Optional[List[_Binding]]]:
        """The scope that binds ``name`` as seen from ``scope`` and its bindings (Python's rules)."""
        current: Optional[_Scope] = scope
        while current is not None:
            if name in current.global_names:
                current = current.module.scope
                continue
            found = current.bindings.get(name)
            if found is not None:
                return current, found
            current = current.parent
        return None, None

    def _qualified(self, node: ast.AST, scope: _Scope) -> Optional[str]:
        """The qualified name of a dotted expression rooted in an import, a module-level name or a nested def."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        owner, bindings = self._lookup(node.id, scope)
        module = scope.module
        if owner is None:
            target = self.index.star_export(module.name, node.id)
            if target is None:
                return None
        elif len(bindings) != 1:
            return None
        elif bindings[0].how == "import":
            target = bindings[0].target
        elif owner.kind == "module" and bindings[0].how in ("def", "class"):
            target = f"{module.name}.{node.id}"
        elif owner.kind == "function" and bindings[0].how == "def" and owner.name != "<lambda>":
            target = f"{module.name}.{owner.name}.{node.id}"  # a nested function
        else:
            return None
        return ".".join([target, *reversed(parts)])

    def _legacy_names(self, node: ast.AST, scope: Optional[_Scope]) -> Set[str]:
        if scope is None or not isinstance(node, (ast.Name, ast.Attribute)):
            return set()
        qualified = self._qualified(node, scope)
        if qualified is None:
            return set()
        short = canonical(qualified) or canonical(self.index.resolve(qualified))
        return {short} if short else set()

    def _callee(self, node: ast.AST, scope: _Scope) -> Optional[str]:
        """The project function a callee expression names, if it names one."""
        qualified = self._qualified(node, scope)
        if qualified is None:
            return None
        if self._function(qualified) is not None:
            return qualified
        resolved = self.index.resolve(qualified)
        return resolved if resolved != qualified and self._function(resolved) is not None else None

    def _is_module_name(self, node: ast.AST, scope: _Scope) -> bool:
        while isinstance(node, ast.Attribute):
            node = node.value
        if not isinstance(node, ast.Name):
            return False
        _, bindings = self._lookup(node.id, scope)
        return bool(bindings) and all(b.how == "import" for b in bindings)

    # -- expressions --------------------------------------------------------------------
    def _type(self, node: ast.AST, scope: _Scope):
        return self._memoized(("expr", id(node)), lambda: self._infer(node, scope))

    def _infer(self, node: ast.AST, scope: _Scope):
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualified = self._qualified(node, scope)
            if qualified is not None:
                resolved = self.index.resolve(qualified)
                if self.index.model(resolved) is not None:
                    return ModelClassT(resolved)
        if isinstance(node, ast.Name):
            return self._variable(node.id, scope)
        if isinstance(node, ast.Attribute):
            receiver = self._type(node.value, scope)
            if receiver is _CYCLE:
                return _CYCLE
            return attribute_result(self.index, receiver, node.attr)
        if isinstance(node, ast.Call):
            return self._call(node, scope)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return StrT()
            if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                return NumberT()
            return None
        if isinstance(node, ast.JoinedStr):
            return StrT()
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Mod) and isinstance(node.left, (ast.Constant, ast.JoinedStr)):
                return StrT() if isinstance(getattr(node.left, "value", ""), str) else None
            if isinstance(node.op, ast.Add) and any(
                isinstance(side, ast.Constant) and isinstance(side.value, str) for side in (node.left, node.right)
            ):
                return StrT()
            return None
        if isinstance(node, ast.Tuple):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return None
            items = tuple(self._type(e, scope) for e in node.elts)
            if any(item is _CYCLE for item in items):
                return _CYCLE
            return TupleT(items)
        if isinstance(node, ast.List):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return None
            if not node.elts:
                return ListT(None)
            item = _join([self._type(e, scope) for e in node.elts])
            return _CYCLE if item is _CYCLE else ListT(item)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            inner = scope.module.comprehensions.get(id(node))
            item = self._type(node.elt, inner) if inner is not None else None
            return _CYCLE if item is _CYCLE else ListT(item)
        if isinstance(node, ast.Subscript):
            base = self._type(node.value, scope)
            if base is _CYCLE:
                return _CYCLE
            if isinstance(base, ListT):
                return base if isinstance(node.slice, ast.Slice) else base.item
            if isinstance(base, TupleT) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int):
                index = node.slice.value
                return base.items[index] if -len(base.items) <= index < len(base.items) else None
            return None
        if isinstance(node, ast.IfExp):
            return _join([self._type(v, scope) for v in (node.body, node.orelse) if not _is_none(v)])
        if isinstance(node, ast.BoolOp):
            return _join([self._type(v, scope) for v in node.values if not _is_none(v)])
        return None

    def _variable(self, name: str, scope: _Scope):
        owner, bindings = self._lookup(name, scope)
        if owner is None:
            return None
        return self._memoized(("var", id(owner), name), lambda: self._bindings(name, owner, bindings))

    def _bindings(self, name: str, owner: _Scope, bindings: List[_Binding]):
        found = []
        for binding in bindings:
            if binding.how == "value":
                found.append(_at(self._type(binding.value, binding.scope or owner), binding.path))
            elif binding.how == "item":
                container = self._type(binding.value, binding.scope or owner)
                found.append(_CYCLE if container is _CYCLE else _at(item_type(container), binding.path))
            elif binding.how == "param":
                found.append(self._parameter(name, owner))
            elif binding.how in ("import", "class") and owner.kind == "module":
                return None  # a model class would have been found by _infer; another import is unknown
            else:
                return None
            if found[-1] is None:
                return None
        return _join(found)

    def _parameter(self, name: str, scope: _Scope):
        if scope.cls is not None:
            if scope.params and scope.params[0] == name and scope.kind == "function":
                decorators = {_decorator_name(d) for d in getattr(scope.node, "decorator_list", ())}
                if "staticmethod" in decorators:
                    return None
                model = self.index.model(f"{scope.module.name}.{scope.cls.name}")
                if model is None:
                    return None
                return ModelClassT(model.qualname) if "classmethod" in decorators else EntityT(model.qualname)
            return None
        if scope.kind == "function" and self._function(f"{scope.module.name}.{scope.name}") is scope:
            found = self._memoized(
                ("param", f"{scope.module.name}.{scope.name}", name),
                lambda: self._param_type(f"{scope.module.name}.{scope.name}", name),
            )
            return found
        return None

    def _call(self, node: ast.Call, scope: _Scope):
        func = node.func
        positional = [a for a in node.args if not isinstance(a, ast.Starred)]
        facts = CallFacts(
            count=len(positional) if len(positional) == len(node.args) else 0,
            type_at=lambda i: _plain(self._type(positional[i], scope)),
            string_at=lambda i: positional[i].value
            if isinstance(positional[i], ast.Constant) and isinstance(positional[i].value, str) else None,
            keyword_true=lambda k: any(
                kw.arg == k and isinstance(kw.value, ast.Constant) and kw.value.value is True for kw in node.keywords
            ),
        )
        legacy = self._legacy_names(func, scope)
        if legacy:
            found = legacy_call_result(self.index, legacy, facts)
            if found is not None:
                return found
            callback = self._runner_callback(node, scope)
            if callback is not None:  # db.run_in_transaction(f, ...) gives what f returns
                target = callback[1]
                return self._memoized(("return", target), lambda: self._return_type(target))
        if isinstance(func, (ast.Name, ast.Attribute)):
            callee = self._type(func, scope)
            if callee is _CYCLE:
                return _CYCLE
            if isinstance(callee, ModelClassT):
                return EntityT(callee.model)
            target = self._callee(func, scope)
            if target is not None:
                return self._memoized(("return", target), lambda: self._return_type(target))
        if isinstance(func, ast.Name):
            owner, _ = self._lookup(func.id, scope)
            if owner is None and self.index.star_export(scope.module.name, func.id) is None:
                return self._builtin(func.id, positional, scope)
            return None
        if not isinstance(func, ast.Attribute):
            return None
        receiver = self._type(func.value, scope)
        if receiver is _CYCLE:
            return _CYCLE
        if isinstance(receiver, ModelClassT):
            return class_method_result(self.index, receiver.model, func.attr, facts)
        found = method_result(receiver, func.attr)
        if found is None and receiver is None and func.attr in SPLIT_METHODS and not self._is_module_name(func.value, scope):
            return split_result(func.attr)
        return found

    def _builtin(self, name: str, args: list, scope: _Scope):
        if name in ("str", "unicode", "repr"):
            return StrT()
        if name in ("len", "int", "float", "long"):
            return NumberT()
        if name in ("list", "tuple", "sorted") and len(args) == 1:
            inner = self._type(args[0], scope)
            if inner is _CYCLE:
                return _CYCLE
            item = item_type(inner)
            return ListT(item) if item is not None or isinstance(inner, ListT) else None
        return None


# ---------------------------------------------------------------------------------------
class _Scanner(ast.NodeVisitor):
    """One pass over a module: its scopes and bindings, its calls, the names it uses."""

    def __init__(self, module: _Module) -> None:
        self.module = module
        self.scope: _Scope = _Scope(kind="module", module=module)
        module.scope = self.scope

    def scan(self, tree: ast.Module) -> None:
        # every name a def or an import binds anywhere in the module: only uses of these can be calls of
        # (or references to) a project function
        self.callable_names: Set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.callable_names.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    self.callable_names.add((alias.asname or alias.name).split(".")[0])
        for stmt in tree.body:
            self.visit(stmt)

    # scopes ------------------------------------------------------------------------------
    def _enclosing(self) -> _Scope:
        """The scope a nested function looks names up in (class bodies are skipped)."""
        scope = self.scope
        while scope.kind == "class":
            scope = scope.parent
        return scope

    def visit_FunctionDef(self, node) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._visit_defaults(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        self.scope.bind(node.name, _Binding("def", node))
        cls = self.scope.node if self.scope.kind == "class" else None
        name = f"{self.scope.name}.{node.name}" if self.scope.name else node.name
        inner = _Scope(kind="function", module=self.module, node=node, parent=self._enclosing(), name=name, cls=cls)
        self._bind_params(inner, node.args)
        if self.scope.kind in ("module", "function") and self.scope.name != "<lambda>":
            self.module.functions[name] = inner  # not methods: their callers are rarely known
            if node.decorator_list:
                self.module.decorated[name] = list(node.decorator_list)
        outer, self.scope = self.scope, inner
        for stmt in node.body:
            self.visit(stmt)
        self.scope = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_defaults(node.args)
        inner = _Scope(kind="function", module=self.module, node=node, parent=self._enclosing(), name="<lambda>")
        self._bind_params(inner, node.args)
        outer, self.scope = self.scope, inner
        self.visit(node.body)
        self.scope = outer

    def _visit_defaults(self, args: ast.arguments) -> None:
        for default in [*args.defaults, *[d for d in args.kw_defaults if d is not None]]:
            self.visit(default)

    @staticmethod
    def _bind_params(scope: _Scope, args: ast.arguments) -> None:
        positional = [*args.posonlyargs, *args.args]
        scope.positional = [p.arg for p in positional]
        for param in [*positional, *args.kwonlyargs]:
            scope.params.append(param.arg)
            scope.bind(param.arg, _Binding("param"))
        for param, default in zip(positional[len(positional) - len(args.defaults):], args.defaults):
            scope.defaults[param.arg] = default
        for param, default in zip(args.kwonlyargs, args.kw_defaults):
            if default is not None:
                scope.defaults[param.arg] = default
        for param in (args.vararg, args.kwarg):
            if param is not None:
                scope.bind(param.arg, _Binding("unknown"))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in [*node.decorator_list, *node.bases, *[k.value for k in node.keywords]]:
            self.visit(expr)
        self.scope.bind(node.name, _Binding("class", node))
        name = f"{self.scope.name}.{node.name}" if self.scope.name else node.name
        inner = _Scope(kind="class", module=self.module, node=node, parent=self.scope, name=name)
        outer, self.scope = self.scope, inner
        for stmt in node.body:
            self.visit(stmt)
        self.scope = outer

    def _comprehension(self, node, elements) -> None:
        inner = _Scope(kind="comprehension", module=self.module, node=node, parent=self._enclosing())
        self.module.comprehensions[id(node)] = inner
        for index, generator in enumerate(node.generators):
            # the first iterable is evaluated in the enclosing scope
            where = self.scope if index == 0 else inner
            outer, self.scope = self.scope, where
            self.visit(generator.iter)
            self.scope = outer
            _bind_target(inner, generator.target, "item", generator.iter, (), where)
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
            _bind_target(self.scope, target, "value", node.value)
            self._visit_target(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            _bind_target(self.scope, node.target, "value", node.value)
        self._visit_target(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        _bind_target(self.scope, node.target, "unknown", None)
        self._visit_target(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        _bind_target(self._enclosing() if self.scope.kind == "comprehension" else self.scope,
                     node.target, "value", node.value)

    def visit_For(self, node) -> None:
        self.visit(node.iter)
        _bind_target(self.scope, node.target, "item", node.iter)
        self._visit_target(node.target)
        for stmt in [*node.body, *node.orelse]:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_With(self, node) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                _bind_target(self.scope, item.optional_vars, "unknown", None)
                self._visit_target(item.optional_vars)
        for stmt in node.body:
            self.visit(stmt)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.scope.bind(node.name, _Binding("unknown"))
        for stmt in node.body:
            self.visit(stmt)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.scope.bind(alias.asname, _Binding("import", target=alias.name))
            else:
                root = alias.name.split(".")[0]
                self.scope.bind(root, _Binding("import", target=root))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        from codemods.analysis.index import _absolute_module

        base = _absolute_module(node.module, node.level, self.module.info.package)
        for alias in node.names:
            if alias.name == "*":
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            self.scope.bind(alias.asname or alias.name, _Binding("import", target=target))

    def visit_Global(self, node: ast.Global) -> None:
        self.scope.global_names.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        pass  # looked up outwards anyway

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

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name):
            # a dotted callee ``a.b.c(...)`` is called, not used as a value: its parts are not references
            if self._may_name_a_function(root.id):
                self.module.calls.append((node, self.scope))
        else:
            self.visit(func)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            self.visit(keyword.value)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load) and self._may_name_a_function(node.id):
            self.module.references.append((node, self.scope))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        root = node.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name):
            if isinstance(node.ctx, ast.Load) and self._may_name_a_function(root.id):
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


def _bind_target(scope: _Scope, target: ast.AST, how: str, value, path: tuple = (), where: Optional[_Scope] = None) -> None:
    if isinstance(target, ast.Name):
        scope.bind(target.id, _Binding(how, value, path, where))
    elif isinstance(target, (ast.Tuple, ast.List)):
        starred = any(isinstance(e, ast.Starred) for e in target.elts)
        for index, element in enumerate(target.elts):
            if starred:
                _bind_target(scope, element, "unknown", None)
            else:
                _bind_target(scope, element, how, value, path + (index,), where)
    elif isinstance(target, ast.Starred):
        _bind_target(scope, target.value, "unknown", None)


def _argument(call: ast.Call, position: Optional[int], offset: int, name: str, default):
    """The expression passed for a parameter at one call (its default if left out); _UNKNOWN if unclear.

    ``offset``: where the function's positional arguments start in ``call.args``.
    """
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return _UNKNOWN
    if position is not None and offset + position < len(call.args):
        return call.args[offset + position]
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if default is not None:
        return default
    return _UNKNOWN


def _join(types: list):
    """:func:`join`, ignoring values that depend on themselves."""
    if any(t is None for t in types):
        return None
    known = [t for t in types if t is not _CYCLE]
    if not known:
        return _CYCLE if types else None
    return join(known)


def _at(found, path: tuple):
    if found is _CYCLE:
        return _CYCLE
    for index in path:
        if not isinstance(found, TupleT) or index >= len(found.items):
            return None
        found = found.items[index]
    return found


def _plain(found):
    return None if found is _CYCLE else found


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _decorator_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""

