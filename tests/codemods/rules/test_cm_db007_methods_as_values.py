"""DB006 / DB007: legacy methods handed on as values keep legacy's checks (Model.get's kind check, NotSavedError)."""

from libcst.codemod import CodemodTest

from codemods.rules.db006_entities import EntityMethodsRule
from codemods.rules.db007_batch import BatchFunctionsRule

MODELS = """
from google.appengine.ext import db

class Boat(db.Model):
    make = db.StringProperty()
"""
WITH_HELPER = MODELS.replace("from google.appengine.ext import db\n",
                             "from google.appengine.ext import db\nimport functools\nfrom compat import ndb_legacy\n")


class ModelGetAsValueTest(CodemodTest):
    TRANSFORM = BatchFunctionsRule

    def test_model_get_handed_on(self) -> None:
        before = MODELS + """
def f(test, key):
    test.assertRaises(db.KindError, Boat.get, key)
"""
        after = WITH_HELPER + """
def f(test, key):
    test.assertRaises(db.KindError, functools.partial(ndb_legacy.get, model=Boat), key)
"""
        self.assertCodemod(before, after)


class UnsavedDeleteAsValueTest(CodemodTest):
    TRANSFORM = EntityMethodsRule

    def test_delete_of_an_entity_never_put(self) -> None:
        before = MODELS + """
def f(test, boat):
    test.assertRaises(db.NotSavedError, Boat(make='x').delete)
    return boat.delete
"""
        after = WITH_HELPER + """
def f(test, boat):
    test.assertRaises(db.NotSavedError, functools.partial(ndb_legacy.delete, Boat(make='x')))
    return boat.delete
"""
        self.assertCodemod(before, after)
