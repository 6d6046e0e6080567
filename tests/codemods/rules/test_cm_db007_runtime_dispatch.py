"""DB007 (batches): `db.get` used as a value, getters by name (functools.partial over ndb_legacy.get_by_key_name/get_by_id: legacy's argument checks) and `Model.get(x)` of unknown shape get legacy's dispatch (ndb_legacy.get with the kind check)."""

from libcst.codemod import CodemodTest

from codemods.rules.db007_batch import BatchFunctionsRule

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
import functools
from compat import ndb_legacy

class Task(db.Model):
    pass

def make(factory):
    return factory('Task', 'a')

def f(later, k):
    make(db.Key.from_path)
    t = Task.get_by_id('a')
    later(t.delete)
    getter = functools.partial(ndb_legacy.get_by_key_name, Task)
    fetch = ndb_legacy.get
    ns = k.namespace()
    later(db.run_in_transaction, make, 1)
    return ndb_legacy.get(k, model=Task), t.has_key(), ns, db.Key.from_path('A', 1).namespace()
"""


class BatchFunctionsValuesTest(CodemodTest):
    TRANSFORM = BatchFunctionsRule

    def test_values_and_unknown_shapes(self) -> None:
        self.assertCodemod(BEFORE, AFTER)
