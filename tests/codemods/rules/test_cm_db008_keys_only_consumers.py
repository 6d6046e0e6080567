"""DB008 (queries): a keys-only query handed to sorted()/list()... runs with keys_only=True (issue 13 family 3; semantic program q007)."""

from libcst.codemod import CodemodTest

from codemods.rules.db008_queries import QueriesRule

BEFORE = """
from google.appengine.ext import db

class Tag(db.Model):
    pass

def f(home):
    keys = [db.Key.from_path('B', 'x'), db.Key.from_path('A', 5)]
    a = sorted(keys)
    keys.sort()
    b = max(keys)
    c = sorted(t.key() for t in Tag.all())
    d = db.Key.from_path('A', 99) < db.Key.from_path('A', 'a')
    e = sorted(db.Query(keys_only=True).ancestor(home))
    return a, b, c, d, e
"""

AFTER = """
from google.appengine.ext import db
from google.cloud import ndb

class Tag(db.Model):
    pass

def f(home):
    keys = [db.Key.from_path('B', 'x'), db.Key.from_path('A', 5)]
    a = sorted(keys)
    keys.sort()
    b = max(keys)
    c = sorted(t.key() for t in Tag.query())
    d = db.Key.from_path('A', 99) < db.Key.from_path('A', 'a')
    e = sorted(ndb.Query(ancestor=home).iter(keys_only=True))
    return a, b, c, d, e
"""


class QueriesTest(CodemodTest):
    TRANSFORM = QueriesRule

    def test_keys_only_query_consumed_by_a_builtin(self) -> None:
        self.assertCodemod(BEFORE, AFTER)
