"""DB016 (stubs): test stubs of renamed methods."""

from libcst.codemod import CodemodTest

from codemods.rules.db016_stubs import StubsRule

from _rule_test_models import REFERENCE_MODELS as MODELS


class StubsTest(CodemodTest):
    TRANSFORM = StubsRule

    def test_string_named_stubs_of_renamed_methods(self) -> None:
        before = MODELS + """
def test(self):
    self.stubs.Set(Post, 'get_by_key_name', fake)
    mock.patch.object(Post, 'put', fake)
"""
        after = MODELS + """
def test(self):
    # TODO(db2ndb:DB016): stub of `Post.get_by_key_name`: ndb code calls `get_by_id` instead. See docs/codemods.md#db016
    self.stubs.Set(Post, 'get_by_key_name', fake)
    mock.patch.object(Post, 'put', fake)
"""
        self.assertCodemod(before, after)
