"""The import graph of ``compat``: data paths run one way.

Read from the source with ``ast`` (nothing is imported), every ``import`` and
``from ... import`` of a ``compat`` module counts, at the top of a file or
inside a function. The promises:

* no import circle anywhere in ``compat`` (``compat.db`` was one circle of
  12 files; ``_config``/``_context``, ``gql.ast``/``gql.binder`` and
  ``testing.plugin``/``testing._fault_fixture`` were circles of two);
* ``compat.db`` imports ``compat`` modules at the top of each file only, so a
  reader sees a module's dependencies in its first lines;
* ``compat`` (the shim, ``pip install .`` without extras) imports nothing from
  ``codemods`` nor from the ``codemods`` extra's libraries (libcst, fissix,
  pathspec, coverage): read from the source, and checked by importing every
  compat module with those names made unimportable.

An import of ``a.b.c`` is an edge to ``a.b.c`` (the module itself), not to
the packages ``a`` and ``a.b`` Python initialises on the way, as
import-linter counts them.
"""

import ast
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# What the shim must never import: the codemod package and the `codemods` extra (pyproject.toml).
CODEMODS_ONLY = ("codemods", "libcst", "fissix", "pathspec", "coverage")


def _modules(package):
    modules = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _resolve(name, modules):
    """The module ``name`` is, or the module it is an attribute of (``pkg.mod.Class`` -> ``pkg.mod``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module, path, modules):
    """``[(target module, line, at top level)]`` for every import of a module in ``modules``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []

    def visit(node, nested):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    prefix = package[:len(package) - child.level + 1]
                    base = ".".join(prefix + ([child.module] if child.module else []))
                names = [base + "." + alias.name for alias in child.names]
            else:
                visit(child, nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))
                continue
            for name in names:
                target = _resolve(name, modules)
                if target and target != module:
                    found.append((target, child.lineno, not nested))

    visit(tree, False)
    return found


def import_graph(package):
    """``{module: [(target, line, top_level), ...]}`` for every module of ``package``."""
    modules = _modules(package)
    return {module: _imports(module, path, modules) for module, path in modules.items()}


def circles(graph):
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]

    def strong(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in {edge[0] for edge in graph[node]}:
            if target not in index:
                strong(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            strong(node)
    return found


@pytest.fixture(scope="module")
def compat_graph():
    return import_graph("compat")


def test_compat_has_no_import_circle(compat_graph):
    found = circles(compat_graph)
    details = []
    for component in found:
        members = set(component)
        edges = ["%s -> %s (line %d)" % (module, target, line)
                 for module in component for target, line, _ in compat_graph[module] if target in members]
        details.append("circle of %d: %s\n    %s" % (len(component), ", ".join(component), "\n    ".join(edges)))
    assert not found, "import circles in compat:\n" + "\n".join(details)


def test_compat_db_imports_compat_at_the_top_of_each_file(compat_graph):
    nested = ["%s line %d imports %s inside a function" % (module, line, target)
              for module, edges in sorted(compat_graph.items()) if module.startswith("compat.db")
              for target, line, top_level in edges if not top_level]
    assert not nested, "\n".join(nested)


def test_the_checker_sees_circles_and_nested_imports(tmp_path, monkeypatch):
    """The two checks above can fail: a circle of three and a function-level import are reported."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("from pkg.c import thing\n")
    (package / "c.py").write_text("def thing():\n    from . import a\n")
    (package / "d.py").write_text("import pkg.a\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    graph = import_graph("pkg")
    assert circles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert ("pkg.a", 2, False) in graph["pkg.c"]
    assert graph["pkg.d"] == [("pkg.a", 1, True)]


def absolute_imports(package):
    """``[(module, line, imported top-level name)]`` for every absolute import in ``package`` (functions too)."""
    found = []
    for module, path in _modules(package).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            found.extend((module, node.lineno, name.partition(".")[0]) for name in names)
    return found


def test_compat_imports_nothing_of_the_codemods():
    wrong = ["%s line %d imports %s" % (module, line, name)
             for module, line, name in absolute_imports("compat") if name in CODEMODS_ONLY]
    assert not wrong, "compat must run without the codemods extra:\n" + "\n".join(wrong)


_IMPORT_ALL_WITHOUT = """
import importlib, pkgutil, sys
package_name, blocked = sys.argv[1], set(sys.argv[2:])

class Unavailable:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ModuleNotFoundError("No module named %r (not installed)" % name, name=name)
        return None

sys.meta_path.insert(0, Unavailable())
package = importlib.import_module(package_name)
imported = 0
for info in pkgutil.walk_packages(package.__path__, package_name + "."):
    if not info.name.endswith(".__main__"):
        importlib.import_module(info.name)
        imported += 1
print(imported)
"""


def test_every_compat_module_imports_without_the_codemods_extra():
    """What ``pip install .`` (no extras) gives: libcst and the rest absent; every compat module imports."""
    run = subprocess.run([sys.executable, "-c", _IMPORT_ALL_WITHOUT, "compat", *CODEMODS_ONLY], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout.split()[-1]) > 50  # every module was reached


def test_the_checkers_see_codemod_imports(tmp_path, monkeypatch):
    """Both checks above can fail: an import of libcst inside a function is seen and fails to import."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("import os\n")
    (package / "a.py").write_text("def f():\n    from libcst import parse_module\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert absolute_imports("pkg") == [("pkg", 1, "os"), ("pkg.a", 2, "libcst")]
    run = subprocess.run([sys.executable, "-c", _IMPORT_ALL_WITHOUT, "pkg", "libcst"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.split() == ["1"]  # the import inside f() does not run
    (package / "b.py").write_text("import libcst\n")
    run = subprocess.run([sys.executable, "-c", _IMPORT_ALL_WITHOUT, "pkg", "libcst"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "No module named 'libcst' (not installed)" in run.stderr


def test_codemods_analysis_has_no_import_circle():
    """codemods/analysis imports one way (index -> program -> scopes), function-level imports included."""
    graph = import_graph("codemods")
    analysis = {module: [edge for edge in edges if edge[0].startswith("codemods.analysis")]
                for module, edges in graph.items() if module.startswith("codemods.analysis")}
    assert circles(analysis) == []
