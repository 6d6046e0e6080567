"""DB011 (transactions): runners, options, decorators."""

from libcst.codemod import CodemodTest

from codemods.rules.db011_transactions import TransactionsRule


class TransactionsTest(CodemodTest):
    TRANSFORM = TransactionsRule

    def test_runners_and_decorators(self) -> None:
        before = """
            from google.appengine.ext import db

            @db.transactional
            def a(x):
                return db.is_in_transaction()

            @db.transactional(xg=True, retries=2)
            def b():
                pass

            @db.non_transactional
            def c():
                pass

            db.run_in_transaction(a, 1)
            db.run_in_transaction(b)
            db.run_in_transaction_custom_retries(5, a, x)
            db.run_in_transaction_options(db.create_transaction_options(xg=True, retries=1), a, 2)
            opts = db.create_transaction_options(retries=4)
            db.run_in_transaction_options(opts, a, compute())
        """
        after = """
            from google.appengine.ext import db
            import functools
            from compat import ndb_legacy
            from google.cloud import ndb

            @ndb.transactional()
            def a(x):
                return ndb.in_transaction()

            @ndb.transactional(xg=True, retries=2)
            def b():
                pass

            @ndb.non_transactional()
            def c():
                pass

            ndb_legacy.transaction(lambda: a(1))
            ndb_legacy.transaction(b)
            ndb_legacy.transaction(lambda: a(x), retries=5)
            ndb_legacy.transaction(lambda: a(2), xg=True, retries=1)
            opts = dict(retries=4)
            ndb_legacy.transaction(functools.partial(a, compute()), **opts)
        """
        self.assertCodemod(before, after)

    def test_propagation_is_flagged(self) -> None:
        before = """
            from google.appengine.ext import db

            @db.transactional(propagation=db.ALLOWED)
            def a():
                pass
        """
        after = """
            from google.appengine.ext import db

            # TODO(db2ndb:DB011): `propagation=` raises in ndb; nested transactions are refused. Restructure the call. See docs/codemods.md#db011
            @db.transactional(propagation=db.ALLOWED)
            def a():
                pass
        """
        self.assertCodemod(before, after)
