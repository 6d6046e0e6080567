"""The legacy ``db`` error hierarchy, and translation of google-cloud-ndb/gRPC errors into it.

Class names and base classes are those of ``google.appengine.api.datastore_errors``
and ``google.appengine.ext.db``, so ``except db.BadValueError`` and friends
keep working. :func:`translate` turns the ``google.api_core.exceptions`` and
``RetryError`` that google-cloud-ndb raises into these classes, so raw
transport errors never reach legacy code.
"""

from __future__ import annotations

from typing import NoReturn, Optional

from google.api_core import exceptions as _core

from compat import apiproxy_errors


class Error(Exception):
    """Base datastore error type (``datastore_errors.Error``)."""


class BadValueError(Error):
    """A property value or filter value is invalid."""


class BadPropertyError(Error):
    """A property name is not a string, or is otherwise invalid."""


class BadRequestError(Error):
    """The parameters of a datastore call are invalid."""


class EntityNotFoundError(Error):
    """DEPRECATED in legacy ``db``: the requested entity was not found."""


class BadArgumentError(Error):
    """An invalid argument was passed, e.g. to ``Query.order()`` or a cursor."""


class QueryNotFoundError(Error):
    """DEPRECATED in legacy ``db``: the query iterator is invalid."""


class TransactionNotFoundError(Error):
    """DEPRECATED in legacy ``db``: an internal transaction error."""


class Rollback(Error):
    """Raise inside a transaction function to roll back quietly."""


class TransactionFailedError(Error):
    """The transaction could not be committed, even after retrying (usually contention)."""


class BadFilterError(Error):
    """A filter string is invalid. ``.filter`` holds the offending filter."""

    def __init__(self, filter: str) -> None:  # noqa: A002 - legacy's argument name
        self.filter = filter
        super().__init__("invalid filter: %s." % (filter,))


class BadQueryError(Error):
    """A query or GQL query string is invalid."""


class SnapshotVersionTooOldError(Error):
    """Internal in legacy ``db``: the snapshot no longer exists."""


class BadKeyError(Error):
    """A key is invalid: malformed, incomplete where a complete one is needed, or foreign."""


class InternalError(Error):
    """An internal datastore error."""


class NeedIndexError(Error):
    """No index matches a query that requires one."""

    def __init__(self, error: object, original_message: Optional[str] = None, header: Optional[str] = None,
                 yaml_index: Optional[str] = None, xml_index: Optional[str] = None) -> None:
        super().__init__(error)
        self._original_message = original_message
        self._header = header
        self._yaml_index = yaml_index
        self._xml_index = xml_index

    def OriginalMessage(self) -> Optional[str]:
        return self._original_message

    def Header(self) -> Optional[str]:
        return self._header

    def YamlIndex(self) -> Optional[str]:
        return self._yaml_index

    def XmlIndex(self) -> Optional[str]:
        return self._xml_index


class ReferencePropertyResolveError(Error):
    """A ReferenceProperty points at an entity that does not exist."""


class Timeout(Error):
    """The operation timed out, or the data was temporarily unavailable."""


class CommittedButStillApplying(Timeout):
    """The write was committed but some entities or index rows are not yet applied."""


class NotSavedError(Error):
    """A saved-object action (e.g. ``key()``) was performed on an unsaved instance."""


class KindError(BadValueError):
    """An entity was used with the wrong Model class."""


class PropertyError(Error):
    """A non-existent property was referenced."""


class DuplicatePropertyError(Error):
    """A property is defined twice in a model (or two properties share a stored name)."""


class ConfigurationError(Error):
    """A property or model is improperly configured."""


class ReservedWordError(Error):
    """A property was defined with a reserved name."""


class DerivedPropertyError(Error):
    """A value was assigned to a derived property."""


ValidationError = BadValueError


# Where legacy ``db`` crashed with a builtin exception on bad input, compat raises a class that is both
# that builtin (so ``except AttributeError`` in legacy code still works) and the datastore error that
# names the problem (so ``except db.Error`` works too).


class FilterParseError(BadFilterError, AttributeError):
    """A filter string that is not ``'name'`` or ``'name op'`` (legacy's ``filter()`` raised AttributeError)."""


class FilterTypeError(BadFilterError, TypeError):
    """A filter string that is not a ``str`` (legacy's ``filter()`` raised TypeError)."""


class ConfigurationOptionError(BadArgumentError, TypeError):
    """An unknown keyword argument to a datastore call (legacy raised TypeError)."""


class ArgumentTypeError(BadArgumentError, TypeError):
    """An argument of the wrong type that legacy only caught deep inside (a bool as a limit, an unhashable
    read policy, a count limit that cannot be added to the offset): legacy raised TypeError."""


class CursorTypeError(BadValueError, AttributeError):
    """``websafe_encode_cursor`` of something that is not a Cursor (legacy raised AttributeError)."""


class ReferenceValueError(BadValueError, AttributeError):
    """A value assigned to a ReferenceProperty that is neither a Key nor a model instance (legacy raised
    AttributeError: ``'str' object has no attribute 'has_key'``)."""


class UnstorableValueError(BadValueError, AssertionError):
    """A value a Date/Time property accepted (legacy skipped the type check of falsy values) that cannot be
    stored: legacy's put failed its assertion."""


class BytesValueError(BadValueError, UnicodeDecodeError):
    """A plain ``bytes`` dynamic value (or ``ListProperty(bytes)`` item) that is not ASCII: legacy stored such
    values as strings and its put failed with UnicodeDecodeError."""


class OrderTypeError(BadArgumentError, AttributeError):
    """An ``order()`` argument that is not a ``str`` (legacy's ``order()`` raised AttributeError)."""


def _grpc_code_name(error: BaseException) -> Optional[str]:
    code = getattr(error, "grpc_status_code", None)
    return getattr(code, "name", None)


def translate(error: BaseException, in_transaction: bool = False) -> BaseException:
    """Return the legacy ``db`` exception for an error raised by google-cloud-ndb or gRPC.

    Errors that already belong to the legacy hierarchy (or are not transport
    errors at all) are returned unchanged. The original error is kept as
    ``__cause__`` by :func:`reraise`.

    The mapping follows the legacy SDK's own v1 translation where it had one:
    ABORTED -> TransactionFailedError (contention), DEADLINE_EXCEEDED and
    UNAVAILABLE after retries -> Timeout, INVALID_ARGUMENT -> BadRequestError,
    FAILED_PRECONDITION "no matching index" -> NeedIndexError, otherwise
    BadRequestError, PERMISSION_DENIED / UNAUTHENTICATED -> BadRequestError,
    INTERNAL / UNKNOWN -> InternalError, RESOURCE_EXHAUSTED -> apiproxy
    OverQuotaError, NOT_FOUND -> BadRequestError.
    """
    if isinstance(error, Error):
        return error
    if isinstance(error, _core.RetryError):
        cause = getattr(error, "cause", None)
        if cause is not None and cause is not error:
            translated = translate(cause, in_transaction=in_transaction)
            if isinstance(translated, (TransactionFailedError, Timeout, InternalError)):
                return translated
        return Timeout("The datastore operation timed out after retrying: %s" % (error,))
    if not isinstance(error, _core.GoogleAPIError):
        return error
    message = getattr(error, "message", None) or str(error)
    if isinstance(error, (_core.Aborted, _core.Conflict)):
        return TransactionFailedError(
            "The transaction could not be committed (contention): %s" % message
        )
    if isinstance(error, (_core.DeadlineExceeded, _core.GatewayTimeout)):
        return Timeout("The datastore operation timed out: %s" % message)
    if isinstance(error, _core.Cancelled):
        # gRPC reports a deadline that expires mid-stream as CANCELLED ("Stream removed", RST_STREAM).
        return Timeout("The datastore operation was cancelled before it completed: %s" % message)
    if isinstance(error, _core.ServiceUnavailable):
        return Timeout("The datastore is temporarily unavailable: %s" % message)
    if isinstance(error, _core.FailedPrecondition):
        if "index" in message.lower():
            return NeedIndexError(message)
        return BadRequestError(message)
    if isinstance(error, _core.BadRequest):  # INVALID_ARGUMENT, OUT_OF_RANGE, any other 400
        return BadRequestError(message)
    if isinstance(error, (_core.PermissionDenied, _core.Unauthenticated, _core.Unauthorized)):
        return BadRequestError(message)
    if isinstance(error, _core.NotFound):
        return BadRequestError(message)
    if isinstance(error, _core.TooManyRequests) or _grpc_code_name(error) == "RESOURCE_EXHAUSTED":
        return apiproxy_errors.OverQuotaError(message)
    if isinstance(error, (_core.InternalServerError, _core.Unknown)):
        return InternalError(message)
    return Error(message)


def reraise(error: BaseException, in_transaction: bool = False) -> NoReturn:
    """Raise :func:`translate` of ``error`` (chained to it), or ``error`` itself."""
    translated = translate(error, in_transaction=in_transaction)
    if translated is error:
        raise error
    raise translated from error
