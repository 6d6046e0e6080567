"""``db.run_in_transaction`` and its variants over ``ndb.transaction``."""

from __future__ import annotations

from typing import Any, Callable

from google.cloud import ndb
from google.cloud.ndb import exceptions


def transaction(callback: Callable[[], Any], **options) -> Any:
    """``db.run_in_transaction``: ``ndb.transaction`` with legacy's two differences.

    Raising ``ndb.Rollback`` rolls back and returns None (ndb re-raises it),
    and a transaction started inside another raises ``BadRequestError``
    ("Nested transactions are not supported."), where ndb raises
    NotImplementedError.
    """
    if ndb.in_transaction():
        raise exceptions.BadRequestError("Nested transactions are not supported.")
    try:
        return ndb.transaction(callback, **options)
    except exceptions.Rollback:
        return None


def run_in_transaction(function: Callable, *args, **kwargs) -> Any:
    """``db.run_in_transaction(function, *args, **kwargs)`` (where it is used as a value)."""
    return transaction(lambda: function(*args, **kwargs))


def run_in_transaction_custom_retries(retries: int, function: Callable, *args, **kwargs) -> Any:
    """``db.run_in_transaction_custom_retries(retries, function, *args, **kwargs)`` (used as a value)."""
    return transaction(lambda: function(*args, **kwargs), retries=retries)
