"""DB006: get_or_insert in a function that only runs inside a transaction keeps db's refusal (nested transactions)."""

import libcst as cst
from libcst.codemod import CodemodContext, CodemodTest

from codemods.framework.suite import RuleSuite
from codemods.rules.db006_entities import EntityMethodsRule
from codemods.rules.db007_batch import BatchFunctionsRule

MODELS = """
from google.appengine.ext import db

class Tally(db.Model):
    n = db.IntegerProperty(default=0)
"""
TODO = ("    # TODO(db2ndb:DB006): `get_or_insert` inside a transaction: db raised BadRequestError (nested transactions) "
        "and ndb_legacy.get_or_insert keeps that; ndb's `Model.get_or_insert` joins the transaction. "
        "See docs/codemods.md#db006\n")


class GetOrInsertInTransactionTest(CodemodTest):
    TRANSFORM = EntityMethodsRule

    def test_transaction_callback(self) -> None:
        before = MODELS + """
def incr(name):
    t = Tally.get_or_insert(key_name=name)
    return t

def plain(name):
    return Tally.get_or_insert(name)

def run(test):
    test.assertRaises(db.BadRequestError, db.run_in_transaction, incr, 'x')
    db.run_in_transaction(incr, 'y')
    return plain('z')
"""
        after = MODELS.replace("from google.appengine.ext import db\n",
                               "from google.appengine.ext import db\nfrom compat import ndb_legacy\n") + """
def incr(name):
""" + TODO + """    t = ndb_legacy.get_or_insert(Tally, name)
    return t

def plain(name):
    return Tally.get_or_insert(name)

def run(test):
    test.assertRaises(db.BadRequestError, db.run_in_transaction, incr, 'x')
    db.run_in_transaction(incr, 'y')
    return plain('z')
"""
        self.assertCodemod(before, after)
        context = CodemodContext()  # DB007 (the getters' parent=) keeps the argument DB006 moved
        suite = RuleSuite(context, [EntityMethodsRule(context), BatchFunctionsRule(context)])
        self.assertEqual(suite.transform_module(cst.parse_module(before)).code, after)

    def test_called_outside_a_transaction_too(self) -> None:
        before = MODELS + """
def incr(name):
    return Tally.get_or_insert(name)

def run():
    db.run_in_transaction(incr, 'y')
    return incr('z')
"""
        self.assertCodemod(before, before)
