"""DB006 (entities): `has_key()` / `is_saved()` and `e.delete` handed on as a callback (issue 13, family 2)."""

from libcst.codemod import CodemodTest

from codemods.rules.db006_entities import EntityMethodsRule

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

class Task(db.Model):
    pass

def make(factory):
    return factory('Task', 'a')

def f(later, k):
    make(db.Key.from_path)
    t = Task.get_by_key_name('a')
    later(t.key.delete)
    getter = Task.get_by_key_name
    fetch = db.get
    ns = k.namespace()
    later(db.run_in_transaction, make, 1)
    # TODO(db2ndb:DB006): has_key() -> `e._has_complete_key()`: the same truth value, but db returned the key name (or None) for an unsaved entity instead of True/False. See docs/codemods.md#db006
    return Task.get(k), t._has_complete_key(), ns, db.Key.from_path('A', 1).namespace()
"""


class EntityMethodsValuesTest(CodemodTest):
    TRANSFORM = EntityMethodsRule

    def test_has_key_and_delete_callback(self) -> None:
        self.assertCodemod(BEFORE, AFTER)
