"""DB005 (keys): sorting and comparing keys in legacy order (ids before names), issue 13 family 3; legacy observed in semantic program k005."""

from libcst.codemod import CodemodTest

from codemods.rules.db005_keys import KeysRule

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
from compat import ndb_legacy
from google.cloud import ndb

class Tag(db.Model):
    pass

def f(home):
    keys = [ndb.Key('B', 'x'), ndb.Key('A', 5)]
    a = sorted(keys, key=ndb_legacy.key_order)
    keys.sort(key=ndb_legacy.key_order)
    b = max(keys, key=ndb_legacy.key_order)
    c = sorted((t.key for t in Tag.all()), key=ndb_legacy.key_order)
    d = ndb_legacy.key_order(ndb.Key('A', 99)) < ndb_legacy.key_order(ndb.Key('A', 'a'))
    e = sorted(db.Query(keys_only=True).ancestor(home), key=ndb_legacy.key_order)
    return a, b, c, d, e
"""


class KeysTest(CodemodTest):
    TRANSFORM = KeysRule

    def test_sorted_min_max_sort_and_comparisons(self) -> None:
        self.assertCodemod(BEFORE, AFTER)
