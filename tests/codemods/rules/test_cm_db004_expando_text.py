"""DB004 (value types): ``db.Text`` on a dynamic Expando attribute or a StringProperty keeps its type (meaning 15)."""

from libcst.codemod import CodemodTest

from codemods.rules.db004_values import ValueTypesRule

MODELS = """
from google.appengine.ext import db

class Bag(db.Expando):
    title = db.TextProperty()
    body = db.StringProperty(indexed=False, multiline=True)
"""


class ExpandoTextTest(CodemodTest):
    TRANSFORM = ValueTypesRule

    def test_dynamic_attributes_keep_the_text_type(self) -> None:
        before = MODELS + """
def f(text):
    b = Bag(note=db.Text(text), title=db.Text(text))
    b.body = db.Text(text)
    b.title = db.Text(text)
    b.body = db.Text(text)
    return b
"""
        after = MODELS.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\n") + """
def f(text):
    b = Bag(note=ndb_legacy.Text(text), title=text)
    b.body = ndb_legacy.Text(text)
    b.title = text
    b.body = ndb_legacy.Text(text)
    return b
"""
        self.assertCodemod(before, after)
