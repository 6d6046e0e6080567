"""DB010 (GQL): db.GqlQuery becomes ndb.gql."""

from libcst.codemod import CodemodTest

from codemods.rules.db010_gql import GqlRule


class GqlTest(CodemodTest):
    TRANSFORM = GqlRule

    def test_gqlquery_and_subclass(self) -> None:
        before = """
            from google.appengine.ext import db
            q = db.GqlQuery('SELECT * FROM Post WHERE t = :1', 'x')

            class Mine(db.GqlQuery):
                pass
        """
        after = """
            from google.appengine.ext import db
            from google.cloud import ndb

            q = ndb.gql('SELECT * FROM Post WHERE t = :1', 'x')

            # TODO(db2ndb:DB010): class Mine extends db.GqlQuery; ndb.gql() is a function returning an ndb.Query: wrap it (composition) instead of subclassing. See docs/codemods.md#db010
            class Mine(db.GqlQuery):
                pass
        """
        self.assertCodemod(before, after)
