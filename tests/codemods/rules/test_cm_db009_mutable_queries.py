"""DB009 (mutable queries): discarded filter()/order() statements become reassignments."""

from libcst.codemod import CodemodTest

from codemods.rules.db009_mutable_queries import MutableQueriesRule

MODELS = """
from google.appengine.ext import db

class Post(db.Model):
    title = db.StringProperty(name='t')
    tags = db.StringListProperty()
    created = db.DateTimeProperty()

class Bag(db.Expando):
    pass
"""


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
