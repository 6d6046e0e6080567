"""The metadata the rules read is libcst's own: same scopes, same qualified names, fewer walks."""

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider, QualifiedNameProvider, ScopeProvider

from codemods.analysis.metadata import parent_map, resolve

FIXTURES = Path(__file__).resolve().parent / "fixtures"
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
    yield "sample", SAMPLE
    for path in sorted((FIXTURES / "legacy_app" / "expected").rglob("*.py")):
        yield str(path.relative_to(FIXTURES)), path.read_text(encoding="utf-8")


def _qualified(mapping, node):
    value = mapping.get(node, set())
    return value() if callable(value) else value


@pytest.mark.parametrize("name,source", list(_sources()), ids=[n for n, _ in _sources()])
def test_same_scopes_and_qualified_names_as_libcst(name, source):
    module = cst.parse_module(source)
    ours = resolve(module)
    reference = MetadataWrapper(module, unsafe_skip_copy=True).resolve_many([ScopeProvider, QualifiedNameProvider])
    scopes, names = reference[ScopeProvider], reference[QualifiedNameProvider]
    assert set(ours.scopes) == set(scopes)
    checked = 0
    for node, scope in scopes.items():
        mine = ours.scopes[node]
        assert type(mine) is type(scope)
        if scope is not None:
            assert sorted(a.name for a in mine.assignments) == sorted(a.name for a in scope.assignments)
            assert sorted(a.node.value for a in mine.accesses if isinstance(a.node, cst.Name)) == \
                sorted(a.node.value for a in scope.accesses if isinstance(a.node, cst.Name))
        if isinstance(node, (cst.Name, cst.Attribute)):
            assert ours.qualified.get(node) == _qualified(names, node)
            checked += 1
    assert checked > 10 or name != "sample"


@pytest.mark.parametrize("name,source", list(_sources()), ids=[n for n, _ in _sources()])
def test_same_parents_as_libcst(name, source):
    module = cst.parse_module(source)
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
