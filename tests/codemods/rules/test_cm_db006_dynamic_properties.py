"""DB006 (entity methods): ``e.dynamic_properties()`` becomes ``ndb_legacy.dynamic_properties(e)``."""

from libcst.codemod import CodemodTest

from codemods.rules.db006_entities import EntityMethodsRule

MODELS = """
from google.appengine.ext import db

class Thing(db.Expando):
    name = db.StringProperty()
"""


class DynamicPropertiesTest(CodemodTest):
    TRANSFORM = EntityMethodsRule

    def test_any_receiver(self) -> None:
        before = MODELS + """
def f(t):
    back = Thing.get_by_key_name('t1')
    return sorted(back.dynamic_properties()), Thing.get_by_key_name('t2').dynamic_properties()
"""
        after = MODELS.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\n") + """
def f(t):
    back = Thing.get_by_key_name('t1')
    return sorted(ndb_legacy.dynamic_properties(back)), ndb_legacy.dynamic_properties(Thing.get_by_key_name('t2'))
"""
        self.assertCodemod(before, after)
