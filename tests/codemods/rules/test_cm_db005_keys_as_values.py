"""DB005 (keys): `db.Key.from_path` handed on as a key factory becomes `ndb_legacy.key_from_path` (legacy's checks); `namespace()` keeps db's ''."""

from libcst.codemod import CodemodTest

from codemods.rules.db005_keys import KeysRule

BEFORE = """
from google.appengine.ext import db

class Task(db.Model):
    pass

def make(factory):
    return factory('Task', 'a')

def f(later, k):
    make(db.Key.from_path)
    t = Task.get_by_key_name('a')
    later(t.delete)
    getter = Task.get_by_key_name
    fetch = db.get
    ns = k.namespace()
    later(db.run_in_transaction, make, 1)
    return Task.get(k), t.has_key(), ns, db.Key.from_path('A', 1).namespace()
"""

AFTER = """
from google.appengine.ext import db
from compat import ndb_legacy
from google.cloud import ndb

class Task(db.Model):
    pass

def make(factory):
    return factory('Task', 'a')

def f(later, k):
    make(ndb_legacy.key_from_path)
    t = Task.get_by_key_name('a')
    later(t.delete)
    getter = Task.get_by_key_name
    fetch = db.get
    ns = k.namespace()
    later(db.run_in_transaction, make, 1)
    return Task.get(k), t.has_key(), ns, (ndb.Key('A', 1).namespace() or '')
"""


class KeysValuesTest(CodemodTest):
    TRANSFORM = KeysRule

    def test_from_path_as_a_value_and_namespace(self) -> None:
        self.assertCodemod(BEFORE, AFTER)
