"""DB010 (GQL): texts ndb's GQL reads otherwise, and queries bound again, go through ``ndb_legacy.gql``."""

import libcst as cst
from libcst.codemod import CodemodContext, CodemodTest

from codemods.framework.suite import RuleSuite
from codemods.rules.db009_mutable_queries import MutableQueriesRule
from codemods.rules.db010_gql import GqlRule

MODELS = """
from google.appengine.ext import db

class Movie(db.Model):
    genre = db.StringProperty()
    group = db.StringProperty()
"""
NDB_IMPORT = "from google.appengine.ext import db\nfrom compat import ndb_legacy\n"


class LegacyGqlTest(CodemodTest):
    TRANSFORM = GqlRule

    def test_texts_ndb_builds_otherwise(self) -> None:
        before = MODELS + """
def f(shelf, text, encoded):
    a = db.GqlQuery('SELECT * FROM Movie WHERE ANCESTOR IS :1', shelf)
    b = db.GqlQuery("SELECT * FROM Movie WHERE genre != 'drama'")
    c = db.GqlQuery("SELECT * FROM Movie WHERE __key__ = KEY('%s')" % encoded)
    d = db.GqlQuery('SELECT __key__ FROM Movie')
    e = Movie.gql('WHERE group = :1', 'x')
    g = Movie.gql(text)
    h = Movie.gql('WHERE genre IN :1', ['x', 'y'])
    return a, b, c, d, e, g, h
"""
        after = MODELS.replace("from google.appengine.ext import db\n", NDB_IMPORT) + """
def f(shelf, text, encoded):
    a = ndb_legacy.gql('SELECT * FROM Movie WHERE ANCESTOR IS :1', shelf)
    b = ndb_legacy.gql("SELECT * FROM Movie WHERE genre != 'drama'")
    c = ndb_legacy.gql("SELECT * FROM Movie WHERE __key__ = KEY('%s')" % encoded)
    d = ndb_legacy.gql('SELECT __key__ FROM Movie')
    e = ndb_legacy.gql('SELECT * FROM Movie WHERE group = :1', 'x')
    g = ndb_legacy.gql('SELECT * FROM Movie ' + text)
    h = ndb_legacy.gql('SELECT * FROM Movie WHERE genre IN :1', ['x', 'y'])
    return a, b, c, d, e, g, h
"""
        self.assertCodemod(before, after)

    def test_texts_ndb_reads_alike_stay_on_ndb(self) -> None:
        before = MODELS + """
def f():
    a = db.GqlQuery('SELECT * FROM Movie WHERE genre = :1 ORDER BY genre DESC', 'x')
    b = Movie.gql('WHERE genre IN :1 ORDER BY genre', ['x', 'y'])
    return a, b
"""
        after = MODELS.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom google.cloud import ndb\n") + """
def f():
    a = ndb.gql('SELECT * FROM Movie WHERE genre = :1 ORDER BY genre DESC', 'x')
    b = Movie.gql('WHERE genre IN :1 ORDER BY genre', ['x', 'y'])
    return a, b
"""
        self.assertCodemod(before, after)

    def test_a_query_bound_again_is_a_legacy_gql_query(self) -> None:
        before = MODELS + """
def f():
    q = Movie.gql('WHERE genre = :1', 'drama')
    first = q.fetch(5)
    q.bind('comedy')
    return first, q.fetch(5)
"""
        after = MODELS.replace("from google.appengine.ext import db\n", NDB_IMPORT) + """
def f():
    q = ndb_legacy.gql('SELECT * FROM Movie WHERE genre = :1', 'drama')
    first = q.fetch(5)
    q = q.bind('comedy')
    return first, q.fetch(5)
"""
        context = CodemodContext()  # DB010 picks ndb_legacy.gql, DB009 keeps the rebound query
        suite = RuleSuite(context, [GqlRule(context), MutableQueriesRule(context)])
        self.assertEqual(suite.transform_module(cst.parse_module(before)).code, after)
