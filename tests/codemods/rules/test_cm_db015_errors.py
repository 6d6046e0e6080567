"""DB015 (errors): legacy exceptions and what converted except clauses catch."""

from libcst.codemod import CodemodTest

from codemods.rules.db015_errors import ErrorsRule


class ErrorsTest(CodemodTest):
    TRANSFORM = ErrorsRule

    def test_errors(self) -> None:
        before = """
            from google.appengine.ext import db
            try:
                pass
            except db.BadValueError:
                raise db.Rollback()
            except db.Timeout:
                pass
        """
        after = """
            from google.appengine.ext import db
            from google.cloud import ndb

            try:
                pass
            except (ndb.exceptions.BadValueError, ValueError):
                raise ndb.Rollback()
            except db.Timeout:
                pass
        """
        # the TODO for db.Timeout sits on the try statement (the innermost statement of an except clause)
        self.assertCodemod(before, after.replace("            try:", "            # TODO(db2ndb:DB015): `db.Timeout` has no ndb class; catch google.api_core.exceptions.DeadlineExceeded (or RetryError with .cause). See docs/codemods.md#db015\n            try:"))

    def test_except_clauses_catch_what_ndb_raises_for_bad_keys_and_requests(self) -> None:
        # a garbage key or cursor from a URL, a negative limit (v006: the datastore refuses it, db refused it
        # before the RPC): the app's 404/400 handlers must still catch it
        before = """
            from google.appengine.ext import db
            from google.appengine.api import datastore_errors
            try:
                pass
            except (db.BadKeyError, db.BadArgumentError, db.KindError):
                pass
            except (datastore_errors.BadRequestError, db.BadValueError, db.BadKeyError) as error:
                pass
            except db.BadKeyError:
                raise db.BadRequestError('no')
        """
        after = """
            from google.appengine.ext import db
            from google.appengine.api import datastore_errors
            import google.api_core.exceptions
            import google.protobuf.message
            from google.cloud import ndb

            try:
                pass
            except (ValueError, TypeError, google.protobuf.message.DecodeError, ndb.KindError, ndb.exceptions.BadArgumentError, google.api_core.exceptions.InvalidArgument):
                pass
            except (google.api_core.exceptions.InvalidArgument, ndb.exceptions.BadRequestError, ndb.exceptions.BadValueError, ValueError, TypeError, google.protobuf.message.DecodeError, ndb.KindError) as error:
                pass
            except (ValueError, TypeError, google.protobuf.message.DecodeError, ndb.KindError):
                raise ndb.exceptions.BadRequestError('no')
        """
        self.assertCodemod(before, after)

    def test_reference_resolve_error_is_the_helpers(self) -> None:
        """DB012 reads references through ndb_legacy.resolve() where the error is caught; it raises this class."""
        before = """
            from google.appengine.ext import db
            try:
                pass
            except db.ReferencePropertyResolveError:
                raise db.ReferencePropertyResolveError('gone')
        """
        after = """
            from google.appengine.ext import db
            from compat import ndb_legacy

            try:
                pass
            except ndb_legacy.ReferencePropertyResolveError:
                raise ndb_legacy.ReferencePropertyResolveError('gone')
        """
        self.assertCodemod(before, after)

    def test_property_error_is_the_helpers(self) -> None:
        """DB008's ndb_legacy.order_by() raises ndb_legacy.PropertyError for a name the model lacks, as db did."""
        before = """
            from google.appengine.ext import db
            try:
                pass
            except db.PropertyError:
                pass
        """
        after = """
            from google.appengine.ext import db
            from compat import ndb_legacy

            try:
                pass
            except ndb_legacy.PropertyError:
                pass
        """
        self.assertCodemod(before, after)

    def test_reserved_word_error_is_the_helpers(self) -> None:
        # ndb_legacy's properties raise it when a class defines a property under a name legacy reserved
        before = """
            from google.appengine.ext import db
            try:
                pass
            except db.ReservedWordError:
                pass
        """
        after = """
            from google.appengine.ext import db
            from compat import ndb_legacy

            try:
                pass
            except ndb_legacy.ReservedWordError:
                pass
        """
        self.assertCodemod(before, after)
