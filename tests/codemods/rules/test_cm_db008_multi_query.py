"""DB008 (queries): an IN / != query chain without a sort order starts from ``ndb_legacy.merged_by_key``.

Legacy behaviour observed on the SDK (tests/codemods/semantic programs q012, q019): db's MultiQuery merged
its sub-queries' results by key; ndb returns one sub-query's results after the other.
"""

from libcst.codemod import CodemodTest

from codemods.rules.db008_queries import QueriesRule

MODELS = """
from google.appengine.ext import db

class Ad(db.Model):
    city = db.StringProperty()
    price = db.IntegerProperty()
"""
IMPORTS = ("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\n")


class MultiQueryMergeTest(CodemodTest):
    TRANSFORM = QueriesRule

    def test_unordered_in_and_ne_chains_are_merged_by_key(self) -> None:
        before = MODELS + """
def f(parent, cities):
    a = Ad.all().filter('city !=', 'oslo').fetch(3)
    b = Ad.all().filter('price =', 1).filter('city IN', ['rome', 'oslo'])
    c = Ad.all().filter('city IN', cities).filter('price !=', 2)
    d = Ad.all().filter('city !=', 'oslo').ancestor(parent).get()
    return a, b, c, d
"""
        after = MODELS.replace(*IMPORTS) + """
def f(parent, cities):
    a = ndb_legacy.merged_by_key(Ad.query()).filter(ndb_legacy.not_equal(Ad.city, 'oslo')).fetch(3)
    b = ndb_legacy.merged_by_key(Ad.query()).filter(Ad.price == 1).filter(Ad.city.IN(['rome', 'oslo']))
    c = ndb_legacy.merged_by_key(Ad.query()).filter(ndb_legacy.IN(Ad.city, cities)).filter(ndb_legacy.not_equal(Ad.price, 2))
    d = ndb_legacy.merged_by_key(Ad.query(ancestor=parent)).filter(ndb_legacy.not_equal(Ad.city, 'oslo')).get()
    return a, b, c, d
"""
        self.assertCodemod(before, after)

    def test_a_query_variable_is_merged_once(self) -> None:
        before = MODELS + """
def f():
    q2 = Ad.all().filter('city !=', 'oslo')
    q3 = q2.filter('price IN', [1, 2])
    q = Ad.all()
    q = q.filter('city IN', ['rome', 'oslo'])
    one = Ad.all().filter('city IN', ['rome'])
    one = one.filter('price !=', 3)
    return q3, q, one
"""
        after = MODELS.replace(*IMPORTS) + """
def f():
    q2 = ndb_legacy.merged_by_key(Ad.query()).filter(ndb_legacy.not_equal(Ad.city, 'oslo'))
    q3 = q2.filter(Ad.price.IN([1, 2]))
    q = Ad.query()
    q = ndb_legacy.merged_by_key(q).filter(Ad.city.IN(['rome', 'oslo']))
    one = Ad.query().filter(Ad.city.IN(['rome']))
    one = ndb_legacy.merged_by_key(one).filter(ndb_legacy.not_equal(Ad.price, 3))
    return q3, q, one
"""
        self.assertCodemod(before, after)

    def test_ordered_or_single_value_queries_stay_ndb_queries(self) -> None:
        """With a sort order ndb merges as db did; an IN of one value is one query in both."""
        before = MODELS + """
def f():
    a = Ad.all().filter('city !=', 'oslo').order('-city').fetch(3)
    b = Ad.all().order('price').filter('city IN', ['rome', 'oslo'])
    c = Ad.all().filter('city IN', ['rome'])
    return a, b, c
"""
        after = MODELS.replace(*IMPORTS) + """
def f():
    a = Ad.query().filter(ndb_legacy.not_equal(Ad.city, 'oslo')).order(-Ad.city).fetch(3)
    b = Ad.query().order(Ad.price).filter(Ad.city.IN(['rome', 'oslo']))
    c = Ad.query().filter(Ad.city.IN(['rome']))
    return a, b, c
"""
        self.assertCodemod(before, after)
