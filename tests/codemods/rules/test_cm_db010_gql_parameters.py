"""DB010 (GQL): entities bound to GQL parameters become their keys, as db bound them (issue 13, family 3)."""

from libcst.codemod import CodemodTest

from codemods.rules.db010_gql import GqlRule

MODELS = """
from google.appengine.ext import db

class Category(db.Model):
    pass

class Entry(db.Model):
    category = db.ReferenceProperty(Category)
"""


class GqlParametersTest(CodemodTest):
    TRANSFORM = GqlRule

    def test_entity_parameters_are_bound_as_keys(self) -> None:
        before = MODELS + """
def f():
    tech = Category.get_by_key_name('tech')
    a = db.GqlQuery('SELECT * FROM Entry WHERE category = :1', tech)
    b = Entry.gql('WHERE category = :c', c=tech)
    c = Entry.gql('WHERE category IN :1 ORDER BY category', [tech])
    return a, b, c
"""
        after = MODELS.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom google.cloud import ndb\n") + """
def f():
    tech = Category.get_by_key_name('tech')
    a = ndb.gql('SELECT * FROM Entry WHERE category = :1', tech.key)
    b = Entry.gql('WHERE category = :c', c=tech.key)
    c = Entry.gql('WHERE category IN :1 ORDER BY category', [entity.key for entity in [tech]])
    return a, b, c
"""
        self.assertCodemod(before, after)
