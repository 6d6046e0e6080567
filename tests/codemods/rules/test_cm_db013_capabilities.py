"""DB013 (capabilities): the Capabilities API moves to the shim on both targets."""

from libcst.codemod import CodemodTest

from codemods.framework.options import RuleOptions
from codemods.rules.db013_capabilities import CapabilitiesRule


class CapabilitiesTest(CodemodTest):
    TRANSFORM = CapabilitiesRule

    def test_imports_move_to_the_shim_for_both_targets(self) -> None:
        before = """
            from google.appengine.api import capabilities
            from google.appengine.runtime import apiproxy_errors
            from google.appengine.runtime.apiproxy_errors import CapabilityDisabledError

            ok = capabilities.CapabilitySet('datastore_v3', capabilities=['write']).is_enabled()
        """
        after = """
            from compat import capabilities
            from compat import apiproxy_errors
            from compat.apiproxy_errors import CapabilityDisabledError

            ok = capabilities.CapabilitySet('datastore_v3', capabilities=['write']).is_enabled()
        """
        self.assertCodemod(before, after)
        self.assertCodemod(before, after, options=RuleOptions(target="compat"))
        self.assertCodemod(after, after)
