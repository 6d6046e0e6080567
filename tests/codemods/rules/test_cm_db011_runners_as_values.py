"""DB011 (transactions): a runner handed on as a value becomes ndb_legacy.run_in_transaction (same signature, Rollback returns None)."""

from libcst.codemod import CodemodTest

from codemods.rules.db011_transactions import TransactionsRule

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
    later(db.run_in_transaction_options, None, make, 1)
    return Task.get(k), t.has_key(), ns, db.Key.from_path('A', 1).namespace()
"""

AFTER = """
from google.appengine.ext import db
from compat import ndb_legacy

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
    later(ndb_legacy.run_in_transaction, make, 1)
    later(ndb_legacy.run_in_transaction_options, None, make, 1)
    return Task.get(k), t.has_key(), ns, db.Key.from_path('A', 1).namespace()
"""


class TransactionsValuesTest(CodemodTest):
    TRANSFORM = TransactionsRule

    def test_runner_as_a_value(self) -> None:
        self.assertCodemod(BEFORE, AFTER)
