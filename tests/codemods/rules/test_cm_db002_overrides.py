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


POSITIONAL_BEFORE = """
from google.appengine.ext import db

class Blog(db.Model):
    title = db.StringProperty()

    def __init__(self, parent=None, key_name=None, _app=None, _from_entity=False, **kwds):
        self.plugins = []
        db.Model.__init__(self, parent, key_name, _app, _from_entity, **kwds)

class Page(db.Model):
    def __init__(self, parent=None, key_name=None, **kwds):
        super(Page, self).__init__(parent, key_name, **kwds)
"""

POSITIONAL_AFTER = """
from google.appengine.ext import db
from google.cloud import ndb

class Blog(ndb.Model):
    title = db.StringProperty()

    # TODO(db2ndb:DB002): Blog.__init__() overrides a legacy method: ndb calls `__init__()` with no arguments when it loads an entity (db passed the stored values as keywords), so what this override computes from its keywords happens for new entities only. See docs/codemods.md#db002
    def __init__(self, parent=None, id=None, app=None, _from_entity=False, **kwds):
        self.plugins = []
        ndb.Model.__init__(self, parent=parent, id=id, app=app, **kwds)

class Page(ndb.Model):
    # TODO(db2ndb:DB002): Page.__init__() overrides a legacy method: ndb calls `__init__()` with no arguments when it loads an entity (db passed the stored values as keywords), so what this override computes from its keywords happens for new entities only. See docs/codemods.md#db002
    def __init__(self, parent=None, id=None, **kwds):
        super(Page, self).__init__(parent=parent, id=id, **kwds)
"""


class PositionalInitTest(CodemodTest):
    """db's ``__init__(self, parent, key_name, _app, _from_entity)`` called positionally (micolog's Blog):
    ndb's ``Model.__init__`` takes keywords only, and has no ``_from_entity``."""

    TRANSFORM = ModelClassesRule

    def test_positional_base_init_becomes_keywords(self) -> None:
        self.assertCodemod(POSITIONAL_BEFORE, POSITIONAL_AFTER)
