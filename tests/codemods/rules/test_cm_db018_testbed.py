"""DB018: testbed, datastore_stub_util and memcache imports move to the shim's stand-ins."""

from libcst.codemod import CodemodTest

from codemods.framework.options import RuleOptions
from codemods.rules.db018_testbed import LegacyTestbedRule


class TestbedTest(CodemodTest):
    TRANSFORM = LegacyTestbedRule

    def test_imports_move_to_the_stand_ins_for_both_targets(self) -> None:
        before = """
            import unittest
            from google.appengine.api import memcache
            from google.appengine.datastore import datastore_stub_util
            from google.appengine.ext import testbed

            class T(unittest.TestCase):
                def setUp(self):
                    self.testbed = testbed.Testbed()
                    self.testbed.activate()
                    policy = datastore_stub_util.PseudoRandomHRConsistencyPolicy(probability=0)
                    self.testbed.init_datastore_v3_stub(consistency_policy=policy)
                    self.testbed.init_memcache_stub()
        """
        after = """
            import unittest
            from compat import memcache
            from compat.testing import datastore_stub_util
            from compat.testing import testbed

            class T(unittest.TestCase):
                def setUp(self):
                    self.testbed = testbed.Testbed()
                    self.testbed.activate()
                    policy = datastore_stub_util.PseudoRandomHRConsistencyPolicy(probability=0)
                    self.testbed.init_datastore_v3_stub(consistency_policy=policy)
                    self.testbed.init_memcache_stub()
        """
        self.assertCodemod(before, after)
        self.assertCodemod(before, after, options=RuleOptions(target="compat"))
        self.assertCodemod(after, after)

    def test_aliased_and_dotted_imports(self) -> None:
        before = """
            import google.appengine.api.memcache as mc
            from google.appengine.ext.testbed import Testbed
            import google.appengine.ext.testbed
        """
        after = """
            from compat import memcache as mc
            from compat.testing.testbed import Testbed
            # TODO(db2ndb:DB018): `import google.appengine.ext.testbed`: import it as `from compat.testing import testbed` and drop the package prefix. See docs/codemods.md#db018
            import google.appengine.ext.testbed
        """
        self.assertCodemod(before, after)
