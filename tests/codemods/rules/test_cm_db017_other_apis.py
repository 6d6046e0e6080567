"""DB017: users and namespace_manager move to the shim; ndb_legacy.User and the context namespace with --to ndb."""

from libcst.codemod import CodemodTest

from codemods.framework.options import RuleOptions
from codemods.rules.db017_other_apis import OtherApisRule


class OtherApisTest(CodemodTest):
    TRANSFORM = OtherApisRule

    BEFORE = """
        from google.appengine.api import users, namespace_manager

        def f():
            namespace_manager.set_namespace('x')
            ns = namespace_manager.get_namespace()
            return users.User('a@b.c'), ns
    """

    def test_to_ndb(self) -> None:
        after = """
            from compat import ndb_legacy, users, namespace_manager
            from google.cloud import ndb

            def f():
                # TODO(db2ndb:DB017): ndb takes the namespace from its context: open it with `client.context(namespace=...)` per request (this call only changes compat's namespace). See docs/codemods.md#db017
                namespace_manager.set_namespace('x')
                ns = ndb.get_context().get_namespace()
                return ndb_legacy.User('a@b.c'), ns
        """
        self.assertCodemod(self.BEFORE, after)

    def test_to_compat_only_moves_imports(self) -> None:
        after = self.BEFORE.replace("from google.appengine.api import users, namespace_manager",
                                    "from compat import users, namespace_manager")
        self.assertCodemod(self.BEFORE, after, options=RuleOptions(target="compat"))
