"""DB006 (entities): constructor keywords are stored names in db, attribute names in ndb (h6-verify's finding 1)."""

from libcst.codemod import CodemodTest

from codemods.rules.db006_entities import EntityMethodsRule


TODO = ("# TODO(db2ndb:DB006): `title=` dropped: db constructors take stored names, so db ignored it and set the "
        "property from `t=` (now `title=`). See docs/codemods.md#db006")


class ConstructorKeywordsTest(CodemodTest):
    TRANSFORM = EntityMethodsRule

    def test_the_keyword_db_ignored_is_dropped_when_the_stored_name_is_passed_too(self) -> None:
        # db set `title` from t=b and ignored title=a; keeping both would pass title= twice (a SyntaxError)
        before = """
            from google.appengine.ext import db

            class Product(db.Expando):
                title = db.StringProperty(name="t")

            p = Product(key_name=n, title=a, t=b)
            q = Product(t=b, title=a)
            r = Product.get_or_insert(n, title=a, t=b)
        """
        after = """
            from google.appengine.ext import db

            class Product(db.Expando):
                title = db.StringProperty(name="t")

            %s
            p = Product(id=n, title=b)
            %s
            q = Product(title=b)
            %s
            r = Product.get_or_insert(n, title=b)
        """ % ((TODO,) * 3)
        self.assertCodemod(before, after)
        compile(self._converted(before), "<converted>", "exec")  # the output compiles (no duplicate keyword)

    def test_the_keyword_db_ignored_is_dropped_alone_too(self) -> None:
        # m010: db stored None for `s` (it ignored score=3); ndb would have set it
        before = """
            from google.appengine.ext import db

            class Article(db.Model):
                score = db.IntegerProperty(name='s')

            a = Article(key_name='a1', score=3)
            b = Article.get_or_insert('a2', score=3)
        """
        todo = ("# TODO(db2ndb:DB006): `score=` dropped: db constructors take stored names, so db ignored it and "
                "left the property (stored as 's') at its default; pass `score=` if you meant to set it. "
                "See docs/codemods.md#db006")
        after = """
            from google.appengine.ext import db

            class Article(db.Model):
                score = db.IntegerProperty(name='s')

            %s
            a = Article(id='a1')
            %s
            b = Article.get_or_insert('a2')
        """ % (todo, todo)
        self.assertCodemod(before, after)

    def _converted(self, before: str) -> str:
        import textwrap

        from libcst import parse_module
        from libcst.codemod import CodemodContext

        transform = self.TRANSFORM(CodemodContext())
        return transform.transform_module(parse_module(textwrap.dedent(before))).code
