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

    def _converted(self, before: str) -> str:
        import textwrap

        from libcst import parse_module
        from libcst.codemod import CodemodContext

        transform = self.TRANSFORM(CodemodContext())
        return transform.transform_module(parse_module(textwrap.dedent(before))).code
