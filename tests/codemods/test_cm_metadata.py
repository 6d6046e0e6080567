"""The metadata the rules read is libcst's own: same scopes, same qualified names, fewer walks.

The files compared: a sample, the legacy_app fixture (input after the
Python 2 pass, and expected output), every differential program and this
repository's own codemods/framework modules. Set
``DB2NDB_METADATA_CORPUS`` to a folder of Python 3 files (e.g. real apps after
fissix, as bench/codemod_bench.py writes them) to compare over those too.
"""

import os
from pathlib import Path

import libcst as cst
import pytest
from libcst import CSTVisitor
from libcst._typed_visitor import CSTTypedVisitorFunctions
from libcst.metadata import (
    ExpressionContextProvider,
    MetadataWrapper,
    ParentNodeProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

from codemods.analysis.assignments import AssignedValueProvider
from codemods.analysis.metadata import _ExpressionContexts, parent_map, resolve
from codemods.analysis.readonly import read_only, walk

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIXTURES = HERE / "fixtures"
SAMPLE = '''
import os.path as osp
from google.appengine.ext import db
from . import models
from .. import helpers as h

class Post(db.Model):
    title = db.StringProperty()

    def put(self, *args):
        key = super(Post, self).put(*args)
        return [k for k in (key, models.Comment.all()) if k]

def handler(request, post=None):
    global counter
    q = Post.all().filter('title =', request.get('t'))
    for i, p in enumerate(q.fetch(10)):
        lambda x: x.key() and db.get(x)
    with open(osp.join('a', 'b')) as f:
        h.read(f)
    class Inner(models.Base):
        counter = 1
    return q
'''


def _sources():
    from codemods.runner.py2 import fix_py2, looks_like_py2

    yield "sample", SAMPLE
    for path in sorted((FIXTURES / "legacy_app").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if looks_like_py2(text):
            try:
                text = fix_py2(text, str(path))
            except Exception:  # noqa: BLE001 - a hostile fixture neither Python 2 nor 3
                continue
        yield str(path.relative_to(FIXTURES)), text
    folders = [HERE / "semantic" / "programs", ROOT / "codemods" / "framework"]
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")
    extra = os.environ.get("DB2NDB_METADATA_CORPUS")
    if extra:
        for path in sorted(Path(extra).rglob("*.py")):
            yield str(path), path.read_text(encoding="utf-8")


def _parsed():
    for name, source in _sources():
        try:
            yield name, cst.parse_module(source)
        except cst.ParserSyntaxError:
            continue  # a fixture that is not Python at all (the runner's hostile-file cases)


SOURCES = list(_parsed())
IDS = [name for name, _ in SOURCES]


def _qualified(mapping, node):
    value = mapping.get(node, set())
    return value() if callable(value) else value


def _logger(name):
    def method(self, node, *rest):
        self.events.append((name, id(node)))
        return False if name == "visit_Lambda" else None  # a visitor may prune a subtree

    return method


#: every visit_<Node>, leave_<Node>, visit_<Node>_<attribute>, leave_<Node>_<attribute> libcst defines, each logging its call
_EveryHook = type("_EveryHook", (CSTVisitor,), {
    name: _logger(name) for name in dir(CSTTypedVisitorFunctions) if name.startswith(("visit_", "leave_"))
})


class _OnHooks(CSTVisitor):
    """A visitor that overrides libcst's on_* dispatch itself."""

    def on_visit(self, node):
        self.events.append(("on_visit", id(node)))
        return not isinstance(node, cst.Subscript)

    def on_leave(self, original_node):
        self.events.append(("on_leave", id(original_node)))

    def on_visit_attribute(self, node, attribute):
        self.events.append(("on_visit_attribute", id(node), attribute))

    def on_leave_attribute(self, original_node, attribute):
        self.events.append(("on_leave_attribute", id(original_node), attribute))


def _events(visitor_class, module, how):
    visitor = visitor_class()
    visitor.events = []
    how(visitor, module)
    return visitor.events


@pytest.mark.parametrize("name,module", SOURCES, ids=IDS)
def test_read_only_walk_sends_libcst_events_in_libcst_order(name, module):
    """walk() and read_only() visitors get exactly the calls libcst's own traversal makes, in the same order."""
    for visitor_class in (_EveryHook, _OnHooks):
        expected = _events(visitor_class, module, lambda v, m: m.visit(v))
        assert expected[0] == (("visit_Module" if visitor_class is _EveryHook else "on_visit"), id(module))
        assert _events(visitor_class, module, walk) == expected
        assert _events(read_only(visitor_class), module, lambda v, m: m.visit(v)) == expected


@pytest.mark.parametrize("name,module", SOURCES, ids=IDS)
def test_same_expression_contexts_and_assigned_values_as_libcst(name, module):
    reference = MetadataWrapper(module, unsafe_skip_copy=True).resolve_many(
        [ExpressionContextProvider, AssignedValueProvider])
    contexts = _ExpressionContexts().contexts(module)
    assert contexts == reference[ExpressionContextProvider]
    assert all(contexts[node] is value for node, value in reference[ExpressionContextProvider].items())
    assert resolve(module).bounds == reference[AssignedValueProvider]


def _scope_shape(scope, scopes_seen, key):
    """A scope's kind, name, parent and every assignment and access, as node keys (comparable across two analyses)."""
    if scope is None:
        return None
    if id(scope) in scopes_seen:
        return scopes_seen[id(scope)]
    scopes_seen[id(scope)] = ("scope", len(scopes_seen))
    shape = (
        type(scope).__name__,
        getattr(scope, "name", None),
        key(getattr(scope, "node", None)),
        _scope_shape(scope.parent, scopes_seen, key) if scope.parent is not scope else "self",
        sorted((a.name, key(getattr(a, "node", None)), type(a).__name__) for a in scope.assignments),
        sorted((key(a.node), sorted((r.name, key(getattr(r, "node", None))) for r in a.referents), a.is_annotation,
                a.is_type_hint) for a in scope.accesses),
    )
    scopes_seen[id(scope)] = shape
    return shape


def _node_key(module):
    """A node's identity if it is in ``module``'s tree; else (a node the scope analysis parsed from a string
    annotation, new in every analysis) its type and value."""
    tree = {id(node) for node in parent_map(module)} | {id(module)}

    def key(node):
        if node is None or id(node) in tree:
            return ("tree", id(node))
        return ("parsed", type(node).__name__, repr(getattr(node, "value", None)))

    return key


@pytest.mark.parametrize("name,module", SOURCES, ids=IDS)
def test_same_scopes_and_qualified_names_as_libcst(name, module):
    ours = resolve(module)
    reference = MetadataWrapper(module, unsafe_skip_copy=True).resolve_many([ScopeProvider, QualifiedNameProvider])
    scopes, names = reference[ScopeProvider], reference[QualifiedNameProvider]
    key = _node_key(module)
    assert sorted(map(key, ours.scopes)) == sorted(map(key, scopes))
    in_tree = [node for node in scopes if key(node)[0] == "tree"]
    mine_seen, theirs_seen = {}, {}
    checked = 0
    for node in in_tree:
        assert _scope_shape(ours.scopes[node], mine_seen, key) == _scope_shape(scopes[node], theirs_seen, key)
        assert ours.qualified.get(node) == _qualified(names, node)
        if isinstance(node, (cst.Name, cst.Attribute)):
            checked += 1
    assert checked > 10 or name != "sample"


@pytest.mark.parametrize("name,module", SOURCES, ids=IDS)
def test_same_parents_as_libcst(name, module):
    reference = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ParentNodeProvider)
    ours = parent_map(module)
    assert len(ours) == len(reference)
    assert len(ours) > 100 or name != "sample"
    assert all(ours[node] is parent for node, parent in reference.items())


def test_matcher_visitors_built_once_per_class_find_the_same():
    """matcher_cache: a class without decorated methods gets empty tables; one with them still gets its own."""
    import libcst.matchers as m
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor
    from libcst.matchers import _visitors

    from codemods.framework import matcher_cache

    matcher_cache.install()

    class Decorated(m.MatcherDecoratableTransformer):
        @m.visit(m.Name("x"))
        def saw_x(self, node: cst.Name) -> None:
            self.seen.append(node.value)

    for _ in range(2):
        plain = AddImportsVisitor(CodemodContext())
        assert plain._extra_visit_funcs == {} and plain._extra_leave_funcs == {}
        decorated = Decorated()
        assert list(decorated._extra_visit_funcs.values())[0][0].__self__ is decorated
        decorated.seen = []
        cst.parse_module("x = y + x\n").visit(decorated)
        assert decorated.seen == ["x", "x"]
    assert _visitors._gather_constructed_visit_funcs.__wrapped__(AddImportsVisitor(CodemodContext())) == {}
