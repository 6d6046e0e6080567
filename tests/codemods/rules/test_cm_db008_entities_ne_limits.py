"""DB008 (queries): entities as filter values, `!=`, limit 0, kindless ancestor queries (issue 13, families 3-4).

Legacy behaviour observed on the SDK (tests/codemods/semantic programs f007, f008, f009, q007): db turned an
entity filter value into its key, ran `!=` as `< OR >`, fetched/counted nothing with a limit of 0.
"""

from libcst.codemod import CodemodTest

from codemods.rules.db008_queries import QueriesRule

MODELS = """
from google.appengine.ext import db

class Category(db.Model):
    name = db.StringProperty()

class Entry(db.Model):
    category = db.ReferenceProperty(Category)
    cats = db.ListProperty(db.Key)
    n = db.IntegerProperty()
"""


class EntitiesAndOperatorsTest(CodemodTest):
    TRANSFORM = QueriesRule

    def test_entity_values_become_keys_but_references_stay(self) -> None:
        before = MODELS + """
    def siblings(self):
        return Entry.all().filter('category =', self.category).filter('n !=', self.n)

def f(tech):
    a = Entry.all().filter('cats =', tech).fetch(10)
    b = Entry.all().filter('category IN', [tech, tech]).fetch(10)
    return a, b

def g():
    t = Category.get_by_key_name('t')
    f(t)
"""
        after = MODELS.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\n") + """
    def siblings(self):
        return ndb_legacy.merged_by_key(Entry.query()).filter(Entry.category == self.category).filter(ndb_legacy.not_equal(Entry.n, self.n))

def f(tech):
    a = Entry.query().filter(Entry.cats == tech.key).fetch(10)
    b = ndb_legacy.merged_by_key(Entry.query()).filter(Entry.category.IN([entity.key for entity in [tech, tech]])).fetch(10)
    return a, b

def g():
    t = Category.get_by_key_name('t')
    f(t)
"""
        self.assertCodemod(before, after)

    def test_limit_zero_and_kindless_ancestor(self) -> None:
        before = MODELS + """
def f(home):
    n = Entry.all().count(0)
    none = Entry.all().fetch(0)
    some = Entry.all().fetch(limit=0)
    below = db.Query().ancestor(home.key()).fetch(5)
    return n, none, some, below
"""
        after = MODELS.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom google.cloud import ndb\n") + """
def f(home):
    n = 0
    none = []
    some = []
    below = ndb.Query(ancestor=home.key()).fetch(5)
    return n, none, some, below
"""
        self.assertCodemod(before, after)


class MultiQueryCursorAndOrderTest(CodemodTest):
    maxDiff = None
    """q012 (legacy SDK): `q.cursor()` of an IN / != query raised AssertionError; `!=` results merged by key."""

    TRANSFORM = QueriesRule

    def test_cursor_of_a_multi_query_and_unordered_not_equal(self) -> None:
        before = MODELS + """
def f(k):
    q = Entry.all().filter('n IN', [1, 2]).order('n')
    first = [e.n for e in q.fetch(2)]
    c = lambda: q.cursor()
    ordered = Entry.all().filter('n !=', 3).order('n').fetch(3)
    page = q.fetch(2)
    next_cursor = q.cursor()
    return first, c, ordered, page, next_cursor
"""
        after = MODELS.replace("from google.appengine.ext import db\n",
                               "from google.appengine.ext import db\nfrom compat import ndb_legacy\n") + """
def f(k):
    q = Entry.query().filter(Entry.n.IN([1, 2])).order(Entry.n)
    first = [e.n for e in q.fetch(2)]
    c = lambda: ndb_legacy.cursor_after(q)
    ordered = Entry.query().filter(ndb_legacy.not_equal(Entry.n, 3)).order(Entry.n).fetch(3)
    page = q.fetch(2)
    next_cursor = ndb_legacy.cursor_after(q)
    return first, c, ordered, page, next_cursor
"""
        self.assertCodemod(before, after)
