"""The type engine: the one store of type facts, over Python's ``ast`` of every file of the run.

What each variable of each scope holds, what the project's functions return
and what their parameters receive, which functions only run in a
transaction, which helpers narrow a query in place: all of it is inferred
here, with the rules of :mod:`codemods.analysis.types` and the scopes of
:mod:`codemods.analysis.scopes`. The per-file
:class:`~codemods.analysis.inference.TypeEngine` is a thin adapter: it asks
:meth:`Program.expression_type` about the libcst node a rule looks at, in
the Program scope that node sits in. Each file is read with ``ast`` once per
process (a fraction of the cost of libcst's metadata), and each variable's
type is computed once per run.

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

Across functions, two questions:

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
itself adds nothing: :data:`~codemods.analysis.types.CYCLE`). The run is taken to be the
whole application: a function called only from code outside the run gets
its type from the calls inside it.
"""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Optional, Set, Tuple

from codemods.analysis.types import (
    SPLIT_METHODS, CallFacts, EntityT, KeyT, LegacyType, ListT, ModelClassT, NumberT, QueryT, StrT, TupleT,
    attribute_result, class_method_result, item_type, legacy_call_result, method_result, runner_callback,
    split_result, CYCLE, join_cycles, plain_type, type_at,
)
from codemods.analysis.scopes import Binding, ModuleScopes, Scanner, Scope, decorator_name
from codemods.framework.names import canonical

#: decorators that pass a function's arguments and result through unchanged
_TRANSPARENT_DECORATORS = frozenset({
    "db.transactional", "db.non_transactional", "ndb.transactional", "ndb.non_transactional",
    "ndb.transactional_tasklet",
})


_UNKNOWN = object()
_MAX_DEPTH = 120


class Program:
    """The type facts of every file of the run: variables, expressions, function results and parameters."""

    def __init__(self, index) -> None:
        self.index = index
        self._modules: Dict[str, Optional[ModuleScopes]] = {}
        self._memo: Dict[tuple, object] = {}
        self._in_progress: Set[tuple] = set()
        self._cycles = 0
        self._depth = 0
        self._call_sites: Optional[Dict[str, List[Tuple[ast.Call, Scope, int]]]] = None
        self._escaped: Set[str] = set()
        self._functions: Dict[str, Optional[Scope]] = {}
        self._appends: Dict[int, Dict[Tuple[int, str], List[Tuple[ast.AST, Scope]]]] = {}
        #: expressions the per-file view asked about, kept alive so that their ids (memo keys) stay theirs
        self._asked: List[ast.AST] = []

    # -- the per-file view --------------------------------------------------------------
    def view(self, module_name: str) -> Optional[ModuleScopes]:
        """The scopes of a module of the run, for the per-file view that rewrites it (None if ``ast`` cannot read it).

        The index holds the very text libcst parsed for the rewrite (the
        runner and the suite index the file they rewrite), so paths of scope
        nodes (:meth:`ModuleScopes.scope_by_path`) name the same nodes.
        """
        return self._module(module_name)

    def expression_type(self, expr: ast.AST, scope: Scope, narrowing: List[Tuple[str, ast.AST, Scope]]) -> Optional[LegacyType]:
        """The type of ``expr``, an expression evaluated in ``scope`` (None: unknown).

        ``expr`` is not a node of the module's tree (the per-file view reads it
        from the libcst node it is asked about); ``narrowing`` are the
        ``if isinstance(name, K):`` tests around it, outermost first.
        """
        Scanner(scope.module, scope).scan_expression(expr, narrowing)
        self._asked.append(expr)
        return self._public(("expr", id(expr)), lambda: self._infer(expr, scope))

    # -- the questions ------------------------------------------------------------------
    def return_type(self, qualname: str) -> Optional[LegacyType]:
        """What calling the function ``qualname`` gives (None: unknown)."""
        return self._public(("return", qualname), lambda: self._return_type(qualname))

    def param_type(self, qualname: str, param: str) -> Optional[LegacyType]:
        """What every call in the project passes to ``param`` of function ``qualname`` (None: unknown)."""
        return self._public(("param", qualname, param), lambda: self._param_type(qualname, param))

    def _public(self, key: tuple, compute) -> Optional[LegacyType]:
        found = self._memoized(key, compute)
        return None if found is CYCLE else found  # type: ignore[return-value]

    def _memoized(self, key: tuple, compute):
        cached = self._memo.get(key, _UNKNOWN)
        if cached is not _UNKNOWN:
            return cached
        if key in self._in_progress:
            self._cycles += 1
            return CYCLE
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
            self._memo[key] = None if result is CYCLE else result
        return result

    # -- functions ----------------------------------------------------------------------
    def is_function(self, qualname: str) -> bool:
        """True if ``qualname`` is a function whose calls can be followed (module-level or nested)."""
        return self._function(qualname) is not None

    def runs_in_transaction(self, qualname: str) -> bool:
        """True if the function ``qualname`` only ever runs inside a transaction.

        It is decorated with ``@db.transactional``, or every call of it in the
        project is a transaction runner's (``db.run_in_transaction(f, a)``,
        also handed on: ``g(db.run_in_transaction, f, a)``) and it is not used
        otherwise.
        """
        scope = self._function(qualname)
        if scope is None:
            return False
        module = scope.module
        for decorator in module.decorated.get(scope.name, ()):
            node = decorator.func if isinstance(decorator, ast.Call) else decorator
            if self._legacy_names(node, module.scope) & {"db.transactional", "ndb.transactional"}:
                return True
        sites = self._sites().get(qualname)
        if not sites or qualname in self._escaped:
            return False
        return all(offset > 0 for _call, _where, offset in sites)

    def narrowed_query(self, qualname: str) -> Optional[Tuple[str, Optional[int]]]:
        """The parameter a helper narrows in place (name, position), if every caller can take the new query back.

        ``def only_open(q): q.filter('state =', 'open')`` changed its caller's
        query in db (queries were mutable); in ndb it must return the new
        query and each caller keep it (``q2 = only_open(q2)``). The answer is
        the parameter's name and positional index (None: keyword-only) when: it is a legacy query (all call sites), the
        function changes it by statements (``q.filter(..)``, ``q.order(..)``),
        returns no value, and every call of it in the project is a statement
        passing a plain name there. None otherwise.
        """
        found = self._memoized(("narrowed", qualname), lambda: self._narrowed_query(qualname))
        return found if isinstance(found, tuple) else None

    def _narrowed_query(self, qualname: str) -> Optional[Tuple[str, Optional[int]]]:
        scope = self._function(qualname)
        if scope is None or scope.node is None or scope.is_generator or any(v is not None for v in scope.returns):
            return None
        mutated = set()
        for node in _own_nodes(scope.node):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                root: ast.expr = node.value
                while isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute) \
                        and root.func.attr in ("filter", "order", "ancestor"):
                    root = root.func.value
                if root is not node.value and isinstance(root, ast.Name) and root.id in scope.params:
                    mutated.add(root.id)
        if len(mutated) != 1:
            return None
        param = mutated.pop()
        if len(scope.bindings.get(param, ())) != 1 or not isinstance(self.param_type(qualname, param), QueryT):
            return None
        sites = self._sites().get(qualname)
        if not sites or qualname in self._escaped:
            return None
        position = scope.positional.index(param) if param in scope.positional else None
        for call, where, offset in sites:
            if offset or id(call) not in where.module.statement_calls:
                return None
            value = _argument(call, position, 0, param, None)
            if not isinstance(value, ast.Name):
                return None
        return param, position

    def _function(self, qualname: str) -> Optional[Scope]:
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
            if module is not None and scope is not None and scope.parent is not None \
                    and isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                    and len(scope.parent.bindings.get(scope.node.name, ())) == 1 \
                    and self._transparent(module, scope.name):
                found = scope
            break
        self._functions[qualname] = found
        return found

    def _transparent(self, module: ModuleScopes, name: str) -> bool:
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
        return join_cycles([self._type(value, scope) for value in values])

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
            evaluated = self._type(value, where if value is not scope.defaults.get(param) else scope.parent or scope)
            if evaluated is None:
                return None
            found.append(evaluated)
        return join_cycles(found) if found else None

    def _sites(self) -> Dict[str, List[Tuple[ast.Call, Scope, int]]]:
        """Every call of a project function, and the functions used other than by a call.

        ``db.run_in_transaction(f, a, b)`` counts as a call ``f(a, b)`` (the
        third item of a site is where the function's arguments start), and so
        does ``g(db.run_in_transaction, f, a, b)``.
        """
        if self._call_sites is None:
            table: Dict[str, List[Tuple[ast.Call, Scope, int]]] = {}
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
                    callback = self._runner_callback(call, scope) or self._passed_runner(call, scope)
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

    def _runner_callback(self, call: ast.Call, scope: Scope) -> Optional[Tuple[int, str]]:
        """``(position, function)`` if ``call`` runs a project function in a transaction."""
        position = runner_callback(self._legacy_names(call.func, scope))
        if position is None or len(call.args) <= position:
            return None
        if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return None
        target = self._callee(call.args[position], scope)
        return (position, target) if target is not None else None

    def _passed_runner(self, call: ast.Call, scope: Scope) -> Optional[Tuple[int, str]]:
        """``(position, function)`` for ``g(..., db.run_in_transaction, f, a, b)``: the runner handed on with its arguments.

        A helper that calls what it is given with the rest of its arguments
        (``self.assertRaises(E, db.run_in_transaction, f, a)``,
        ``functools.partial(db.run_in_transaction, f, a)``) runs ``f(a)``.
        """
        for index, item in enumerate(call.args):
            if isinstance(item, ast.Starred):
                return None
            position = runner_callback(self._legacy_names(item, scope))
            if position is None:
                continue
            position += index + 1
            if len(call.args) <= position or any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
                return None
            target = self._callee(call.args[position], scope)
            return (position, target) if target is not None else None
        return None

    # -- modules ------------------------------------------------------------------------
    def _module(self, name: str) -> Optional[ModuleScopes]:
        if name in self._modules:
            return self._modules[name]
        info = self.index.modules.get(name)
        module = None
        if info is not None and info.source is not None:
            tree = _parse(info.source)
            if tree is not None:
                module = ModuleScopes(name=name, info=info)
                Scanner(module).scan(tree)
        self._modules[name] = module
        return module

    # -- names --------------------------------------------------------------------------
    def _lookup(self, name: str, scope: Scope) -> Tuple[Optional[Scope], Optional[List[Binding]]]:
        """The scope that binds ``name`` as seen from ``scope`` and its bindings (Python's rules)."""
        current: Optional[Scope] = scope
        while current is not None:
            if name in current.global_names and current is not current.module.scope:
                current = current.module.scope
                continue
            found = current.bindings.get(name)
            if found is not None:
                return current, found
            current = current.parent
        return None, None

    def _qualified(self, node: ast.AST, scope: Scope) -> Optional[str]:
        """The qualified name of a dotted expression rooted in an import, a module-level name or a nested def."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        owner, bindings = self._lookup(node.id, scope)
        module = scope.module
        if owner is None or bindings is None:
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

    def _legacy_names(self, node: ast.AST, scope: Optional[Scope]) -> Set[str]:
        if scope is None or not isinstance(node, (ast.Name, ast.Attribute)):
            return set()
        qualified = self._qualified(node, scope)
        if qualified is None:
            return set()
        short = canonical(qualified) or canonical(self.index.resolve(qualified))
        return {short} if short else set()

    def _callee(self, node: ast.AST, scope: Scope) -> Optional[str]:
        """The project function a callee expression names, if it names one."""
        qualified = self._qualified(node, scope)
        if qualified is None:
            return None
        if self._function(qualified) is not None:
            return qualified
        resolved = self.index.resolve(qualified)
        return resolved if resolved != qualified and self._function(resolved) is not None else None

    def _is_module_name(self, node: ast.AST, scope: Scope) -> bool:
        while isinstance(node, ast.Attribute):
            node = node.value
        if not isinstance(node, ast.Name):
            return False
        _, bindings = self._lookup(node.id, scope)
        return bindings is not None and bool(bindings) and all(b.how == "import" for b in bindings)

    # -- expressions --------------------------------------------------------------------
    def _type(self, node: ast.AST, scope: Scope):
        return self._memoized(("expr", id(node)), lambda: self._infer(node, scope))

    def _infer(self, node: ast.AST, scope: Scope):
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualified = self._qualified(node, scope)
            if qualified is not None:
                resolved = self.index.resolve(qualified)
                if self.index.model(resolved) is not None:
                    return ModelClassT(resolved)
        if isinstance(node, ast.Name):
            narrowed = scope.module.narrowed.get(id(node))
            if narrowed is not None:
                for kind, where in narrowed:
                    found = self._isinstance_type(kind, where)
                    if found is not None:
                        return found
            return self._variable(node.id, scope)
        if isinstance(node, ast.Attribute):
            receiver = self._type(node.value, scope)
            if receiver is CYCLE:
                return CYCLE
            return attribute_result(self.index, receiver, node.attr)
        if isinstance(node, ast.Call):
            return self._call(node, scope)
        if isinstance(node, ast.Constant):
            if _is_string(node):
                return StrT()
            if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                return NumberT()
            return None
        if isinstance(node, ast.JoinedStr):
            return StrT()
        if isinstance(node, ast.BinOp):
            # ``'%s' % x``, ``'a' + x``: a string
            if isinstance(node.op, ast.Mod) and _is_string(node.left):
                return StrT()
            if isinstance(node.op, ast.Add) and (_is_string(node.left) or _is_string(node.right)):
                return StrT()
            return None
        if isinstance(node, ast.Tuple):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return None
            items = tuple(self._type(e, scope) for e in node.elts)
            if any(item is CYCLE for item in items):
                return CYCLE
            return TupleT(items)
        if isinstance(node, ast.List):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                return None
            if not node.elts:
                return ListT(None)
            item = join_cycles([self._type(e, scope) for e in node.elts])
            return CYCLE if item is CYCLE else ListT(item)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            inner = scope.module.comprehensions.get(id(node))
            item = self._type(node.elt, inner) if inner is not None else None
            return CYCLE if item is CYCLE else ListT(item)
        if isinstance(node, ast.Subscript):
            base = self._type(node.value, scope)
            if base is CYCLE:
                return CYCLE
            if isinstance(base, ListT):
                return base if isinstance(node.slice, ast.Slice) else base.item
            if isinstance(base, TupleT) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int):
                index = node.slice.value
                return base.items[index] if -len(base.items) <= index < len(base.items) else None
            return None
        if isinstance(node, ast.IfExp):
            return join_cycles([self._type(v, scope) for v in (node.body, node.orelse) if not _is_none(v)])
        if isinstance(node, ast.BoolOp):
            return join_cycles([self._type(v, scope) for v in node.values if not _is_none(v)])
        return None

    def _variable(self, name: str, scope: Scope):
        owner, bindings = self._lookup(name, scope)
        if owner is None or bindings is None:
            return None
        return self._memoized(("var", id(owner), name), lambda: self._bindings(name, owner, bindings))

    def _bindings(self, name: str, owner: Scope, bindings: List[Binding]):
        found = []
        for binding in bindings:
            source = binding.value
            if binding.how == "value" and source is not None:
                value = self._type(source, binding.scope or owner)
                if isinstance(value, ListT) and value.item is None and not binding.path:
                    value = self._appended(name, owner, value)
                found.append(type_at(value, binding.path))
            elif binding.how == "item" and source is not None:
                container = self._type(source, binding.scope or owner)
                found.append(CYCLE if container is CYCLE else type_at(item_type(container), binding.path))
            elif binding.how == "param":
                found.append(self._parameter(name, owner))
            elif binding.how in ("import", "class") and owner.kind == "module":
                return None  # a model class would have been found by _infer; another import is unknown
            else:
                return None
            if found[-1] is None:
                return None
        return join_cycles(found)

    def _appended(self, name: str, owner: Scope, empty: ListT):
        """``xs = []`` and ``xs.append(v)`` (``xs.insert(i, v)``) wherever ``xs`` is that list: a list of v's type.

        The list stays ``empty`` (items unknown) when nothing is appended or the appended values disagree.
        """
        module = owner.module
        table = self._appends.get(id(module))
        if table is None:
            table = self._appends[id(module)] = {}
            for list_name, where, value in module.appends:
                found, _ = self._lookup(list_name, where)
                if found is not None:
                    table.setdefault((id(found), list_name), []).append((value, where))
        values = table.get((id(owner), name))
        if not values:
            return empty
        item = join_cycles([self._type(value, where) for value, where in values])
        if item is CYCLE:
            return CYCLE
        return ListT(item) if item is not None else empty

    def _isinstance_type(self, kind: ast.AST, scope: Scope) -> Optional[LegacyType]:
        """Inside ``if isinstance(x, kind):`` (the builtin): a key, an entity (of the model ``kind`` names), or None."""
        if self._lookup("isinstance", scope)[0] is not None:
            return None
        legacy = self._legacy_names(kind, scope)
        if "db.Key" in legacy:
            return KeyT()
        if legacy & {"db.Model", "db.Expando", "polymodel.PolyModel"}:
            return EntityT(None)
        found = self._type(kind, scope)
        return EntityT(found.model) if isinstance(found, ModelClassT) else None

    def _parameter(self, name: str, scope: Scope):
        if scope.cls is not None:
            if scope.params and scope.params[0] == name and scope.kind == "function":
                decorators = {decorator_name(d) for d in getattr(scope.node, "decorator_list", ())}
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

    def _call(self, node: ast.Call, scope: Scope):
        func = node.func
        positional = [a for a in node.args if not isinstance(a, ast.Starred)]
        facts = CallFacts(
            count=len(positional) if len(positional) == len(node.args) else 0,
            type_at=lambda i: plain_type(self._type(positional[i], scope)),
            string_at=lambda i: _string(positional[i]),
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
                runs = callback[1]
                return self._memoized(("return", runs), lambda: self._return_type(runs))
        if isinstance(func, (ast.Name, ast.Attribute)):
            callee = self._type(func, scope)
            if callee is CYCLE:
                return CYCLE
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
        if receiver is CYCLE:
            return CYCLE
        if isinstance(receiver, ModelClassT):
            return class_method_result(self.index, receiver.model, func.attr, facts)
        found = method_result(receiver, func.attr)
        if found is None and receiver is None and func.attr in SPLIT_METHODS and not self._is_module_name(func.value, scope):
            return split_result(func.attr)
        return found

    def _builtin(self, name: str, args: list, scope: Scope):
        """A call of a builtin: ``str(x)``, ``len(x)``, ``list(q)``, ``sorted(xs)``, ``enumerate(xs)``, ``zip(a, b)``."""
        if name in ("str", "unicode", "repr"):
            return StrT()
        if name in ("len", "int", "float", "long"):
            return NumberT()
        if not args:
            return None
        if name in ("list", "tuple", "sorted"):
            inner = self._type(args[0], scope)
            if inner is CYCLE:
                return CYCLE
            item = item_type(inner)
            return ListT(item) if item is not None or isinstance(inner, ListT) else None
        if name == "enumerate":
            return ListT(TupleT((NumberT(), self._item_type(args[0], scope))))
        if name == "zip":
            return ListT(TupleT(tuple(self._item_type(a, scope) for a in args)))
        return None

    def _item_type(self, container: ast.AST, scope: Scope):
        found = self._type(container, scope)
        return CYCLE if found is CYCLE else item_type(found)


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




def _parse(source: str) -> Optional[ast.Module]:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None


def _is_string(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))


def _string(node: ast.AST) -> Optional[str]:
    """The value of a string literal, else None."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of the functions, lambdas and classes inside it."""
    stack: List[ast.AST] = list(getattr(function, "body", ()))
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                stack.append(child)
