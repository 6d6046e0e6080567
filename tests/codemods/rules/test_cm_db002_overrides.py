"""DB002 (models): an __init__ override takes ndb's keywords; overrides of db's private hooks are flagged with what no longer runs (issue 13 family 2; semantic program f006)."""

from libcst.codemod import CodemodTest

from codemods.rules.db002_models import ModelClassesRule

BEFORE = """
from google.appengine.ext import db

class Account(db.Model):
    email = db.StringProperty()

    def __init__(self, parent=None, key_name=None, _app=None, **kwds):
        if key_name is None and 'email' in kwds:
            key_name = 'acct:' + kwds['email']
        db.Model.__init__(self, parent=parent, key_name=key_name, _app=_app, **kwds)

    def _populate_internal_entity(self, *args, **kwargs):
        self.email = self.email.lower()
        return super(Account, self)._populate_internal_entity(*args, **kwargs)
"""

AFTER = """
from google.appengine.ext import db
from google.cloud import ndb

class Account(ndb.Model):
    email = db.StringProperty()

    # TODO(db2ndb:DB002): Account.__init__() overrides a legacy method: ndb calls `__init__()` with no arguments when it loads an entity (db passed the stored values as keywords), so what this override computes from its keywords happens for new entities only. See docs/codemods.md#db002
    def __init__(self, parent=None, id=None, app=None, **kwds):
        if id is None and 'email' in kwds:
            id = 'acct:' + kwds['email']
        ndb.Model.__init__(self, parent=parent, id=id, app=app, **kwds)

    # TODO(db2ndb:DB002): Account._populate_internal_entity() overrides a private hook of db that ndb never calls: its code no longer runs on put(); move it to `_pre_put_hook(self)`. See docs/codemods.md#db002
    def _populate_internal_entity(self, *args, **kwargs):
        self.email = self.email.lower()
        return super(Account, self)._populate_internal_entity(*args, **kwargs)
"""


class ModelClassesTest(CodemodTest):
    TRANSFORM = ModelClassesRule

    def test_init_override_and_private_hook(self) -> None:
        self.assertCodemod(BEFORE, AFTER)
