"""``db.run_in_transaction`` and its variants over ``ndb.transaction``."""

from __future__ import annotations

import itertools
import time
from typing import Any, Callable, Optional

from google.api_core import exceptions as core_exceptions
from google.api_core import retry as core_retry
from google.cloud import ndb
from google.cloud.ndb import exceptions

#: db's (and ndb's) default number of retries of a transaction that could not commit
_DEFAULT_RETRIES = 3
#: what ndb retries a transaction on (google.api_core's transient errors, and these)
_TRANSIENT = (core_exceptions.ServiceUnavailable, core_exceptions.InternalServerError,
              core_exceptions.Aborted, core_exceptions.Unknown)


def transaction(callback: Callable[[], Any], **options: Any) -> Any:
    """``db.run_in_transaction``: ``ndb.transaction`` with legacy's two differences.

    Raising ``ndb.Rollback`` rolls back and returns None (ndb re-raises it),
    and a transaction started inside another raises ``BadRequestError``
    ("Nested transactions are not supported."), where ndb raises
    NotImplementedError.

    A request the datastore refuses inside the transaction (a non-ancestor
    query: "Only ancestor queries are allowed inside transactions.") raises
    its own error at once (``google.api_core.exceptions.InvalidArgument``, as
    legacy raised BadRequestError): ndb's retry loop also retried those and
    ended in a RetryError, so this helper runs the retries itself, on the
    transient errors ndb retries (a conflict: Aborted; ...).
    """
    if ndb.in_transaction():
        raise exceptions.BadRequestError("Nested transactions are not supported.")
    retries = options.pop("retries", None)
    retries = _DEFAULT_RETRIES if retries is None else retries
    delays = core_retry.exponential_sleep_generator(0.1, 1.0, 2.0)
    for attempt in itertools.count():
        try:
            return ndb.transaction(callback, retries=0, **options)
        except exceptions.Rollback:
            return None
        except Exception as error:  # noqa: BLE001 - re-raised unless transient
            if not (core_retry.if_transient_error(error) or isinstance(error, _TRANSIENT)):
                raise
            if attempt >= retries:
                raise core_exceptions.RetryError(
                    "Maximum number of %d retries exceeded while running a transaction" % retries, cause=error,
                ) from error
        time.sleep(next(delays))


def run_in_transaction(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``db.run_in_transaction(function, *args, **kwargs)`` (where it is used as a value)."""
    return transaction(lambda: function(*args, **kwargs))


def run_in_transaction_custom_retries(retries: int, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``db.run_in_transaction_custom_retries(retries, function, *args, **kwargs)`` (used as a value)."""
    return transaction(lambda: function(*args, **kwargs), retries=retries)


def run_in_transaction_options(options: Optional[dict[str, Any]], function: Callable[..., Any], *args: Any,
                               **kwargs: Any) -> Any:
    """``db.run_in_transaction_options(options, function, *args, **kwargs)`` (used as a value).

    ``options`` is what DB011 made of ``db.create_transaction_options(...)``: a
    dict of ndb.transaction keywords (``xg``, ``retries``, ``read_only``), or None.
    """
    return transaction(lambda: function(*args, **kwargs), **(options or {}))
