"""DB009 (mutable queries): discarded filter()/order() statements become reassignments."""

from libcst.codemod import CodemodTest

from codemods.rules.db009_mutable_queries import MutableQueriesRule

from _rule_test_models import POST_MODELS as MODELS


class MutableQueriesTest(CodemodTest):
    TRANSFORM = MutableQueriesRule

    def test_discarded_filter_becomes_reassignment(self) -> None:
        before = MODELS + """
def f():
    q = Post.all()
    q.filter('t =', 'x')
    q.order('-created')  # newest first
    return q
"""
        after = MODELS + """
def f():
    q = Post.all()
    q = q.filter('t =', 'x')
    q = q.order('-created')  # newest first
    return q
"""
        self.assertCodemod(before, after)

    def test_parameter_query_is_flagged(self) -> None:
        before = MODELS + """
def narrow(q):
    q.filter('t =', 'x')
"""
        after = MODELS + """
def narrow(q):
    q.filter('t =', 'x')
"""
        # q is a parameter: its type is unknown, so nothing is rewritten
        self.assertCodemod(before, after)

    def test_other_filter_methods_untouched(self) -> None:
        code = """
            items = [1, 2]
            filter(None, items)
            queryset.filter(x=1)
        """
        self.assertCodemod(code, code)


class NarrowingHelperTest(CodemodTest):
    TRANSFORM = MutableQueriesRule

    def test_helper_returns_the_query_and_callers_keep_it(self) -> None:
        before = MODELS + """
def only_titled(q, title):
    if not title:
        return
    q.filter('t =', title)

def f():
    q = Post.all()
    only_titled(q, 'x')
    return q.fetch(5)
"""
        after = MODELS + """
def only_titled(q, title):
    if not title:
        return q
    q = q.filter('t =', title)
    return q

def f():
    q = Post.all()
    q = only_titled(q, 'x')
    return q.fetch(5)
"""
        self.assertCodemod(before, after)

    def test_helper_used_as_an_expression_keeps_the_todo(self) -> None:
        before = MODELS + """
def only_titled(q, title):
    q.filter('t =', title)

def f():
    q = Post.all()
    only_titled(q, 'x')
    done = only_titled(q, 'y')
    return q.fetch(5)
"""
        after = MODELS + """
def only_titled(q, title):
    # TODO(db2ndb:DB009): `q.filter('t =', title)`: legacy filter() changed the caller's query; ndb returns a new one, so return it to the caller. See docs/codemods.md#db009
    q = q.filter('t =', title)

def f():
    q = Post.all()
    only_titled(q, 'x')
    done = only_titled(q, 'y')
    return q.fetch(5)
"""
        self.assertCodemod(before, after)
