"""Legacy transactions: ``run_in_transaction`` and its variants, ``@transactional``, ``is_in_transaction``.

Built on google-cloud-ndb transactions (so compat and ndb code share one
transaction), with legacy semantics:

* ``db.Rollback`` raised by the function rolls back quietly and returns None;
  any other exception rolls back and propagates, with nothing written;
* contention (ABORTED) retries the whole function up to ``retries`` times
  (default 3, as legacy) with a short jittered backoff, then raises
  ``TransactionFailedError``;
* a transaction without ``xg=True`` that touches a second entity group,
  or one with it that touches a 26th, raises ``BadRequestError`` before any
  RPC (production refused them; the emulator does not);
* calling a transaction inside another is a ``BadRequestError`` unless the
  options' ``propagation`` says otherwise (MANDATORY / ALLOWED join the
  outer transaction, INDEPENDENT runs a separate one); ``@transactional``
  defaults to ALLOWED, as legacy's decorator did;
* while writes are disabled (read-only mode) a read-write transaction raises
  ``CapabilityDisabledError`` before any RPC.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from typing import Any, Callable, Optional, TypeVar, overload

from google.api_core import exceptions as _core
from google.cloud.ndb import context as _ndb_context
from google.cloud.ndb import exceptions as _ndb_exceptions

from compat import _context
from compat.db import _limits, _rpc, errors
from compat.db.config import ALLOWED, INDEPENDENT, MANDATORY, NESTED, Configuration, TransactionOptions

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])

DEFAULT_RETRIES = 3
_LOG = logging.getLogger("compat.db.transactions")
_BACKOFF_BASE = 0.02
_BACKOFF_CAP = 1.0


def is_in_transaction() -> bool:
    """True inside a transaction (compat's or google-cloud-ndb's)."""
    context = _ndb_context.get_context(False)
    return context is not None and context.transaction is not None


def _is_contention(error: BaseException) -> bool:
    if isinstance(error, (_core.Aborted, _core.Conflict)):
        return True
    if isinstance(error, _core.RetryError):
        return isinstance(getattr(error, "cause", None), (_core.Aborted, _core.Conflict))
    return isinstance(error, errors.TransactionFailedError)


def _attempt(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], read_only: bool,
             xg: bool = False) -> Any:
    """One transaction attempt: begin, run ``function``, commit (or roll back).

    While ``function`` runs, the entity groups it touches are counted
    (compat.db._limits): a second group without ``xg``, or a 26th with it,
    is refused before any RPC, as legacy's datastore refused it.
    """

    def callback() -> Any:
        transaction = _ndb_context.get_context().transaction
        _limits.start_tracking(transaction, xg)
        try:
            return function(*args, **kwargs)
        finally:
            _limits.stop_tracking(transaction)

    return _rpc.run_transaction(callback, read_only)


def _run(options: Optional[TransactionOptions], function: Callable[..., Any], args: tuple[Any, ...],
         kwargs: dict[str, Any], read_only: bool = False) -> Any:
    options = options or TransactionOptions()
    retries = DEFAULT_RETRIES if options.retries is None else options.retries
    propagation = options.propagation
    with _context.ensure() as context:
        if context.transaction is not None:
            if propagation in (None, NESTED):
                raise errors.BadRequestError("Nested transactions are not supported.")
            if propagation in (MANDATORY, ALLOWED):
                return function(*args, **kwargs)
            if propagation == INDEPENDENT:
                with context.new(transaction=None).use():
                    return _run(TransactionOptions(xg=options.xg, retries=retries), function, args, kwargs,
                                read_only)
        elif propagation == MANDATORY:
            raise errors.BadRequestError("Requires an existing transaction.")
        if not read_only:
            _rpc.check_write()
        # Finish RPCs started before the transaction (e.g. a db.get_async whose
        # result the function will ask for): legacy RPCs completed on their own,
        # and an ndb event loop cannot be driven from inside the transaction.
        context.eventloop.run()
        attempt = 0
        while True:
            try:
                result = _attempt(function, args, kwargs, read_only, options.xg)
            except errors.Rollback:
                return None
            except _ndb_exceptions.BadRequestError as error:
                raise errors.BadRequestError(str(error)) from error
            except Exception as error:
                if _is_contention(error) and attempt < retries:
                    attempt += 1
                    _LOG.warning("Transaction collision. Retrying... (attempt %d of %d)", attempt + 1, retries + 1)
                    time.sleep(random.uniform(0, min(_BACKOFF_CAP, _BACKOFF_BASE * 2 ** attempt)))
                    continue
                if _is_contention(error):
                    raise errors.TransactionFailedError(
                        "The transaction could not be committed after %d attempts (contention). "
                        "Please try again." % (attempt + 1)
                    ) from error
                if not read_only and isinstance(error, _core.GoogleAPIError):
                    _rpc.record_write_result(error)
                errors.reraise(error, in_transaction=True)
            if not read_only:
                _rpc.record_write_result(None)
            return result


def run_in_transaction(function: Callable[..., _T], *args: Any, **kwargs: Any) -> Optional[_T]:
    """Run ``function(*args, **kwargs)`` in a transaction (3 retries on contention); return its result."""
    return _run(None, function, args, kwargs)


def run_in_transaction_custom_retries(retries: int, function: Callable[..., _T], *args: Any,
                                      **kwargs: Any) -> Optional[_T]:
    """run_in_transaction with ``retries`` retries on contention."""
    return _run(TransactionOptions(retries=retries), function, args, kwargs)


def run_in_transaction_options(options: Optional[Configuration], function: Callable[..., _T], *args: Any,
                               **kwargs: Any) -> Optional[_T]:
    """run_in_transaction with TransactionOptions (``create_transaction_options(...)``)."""
    if options is not None and not isinstance(options, TransactionOptions):
        options = TransactionOptions(**{name: getattr(options, name) for name in ("deadline", "read_policy")})
    return _run(options, function, args, kwargs)


def run_in_read_only_transaction(function: Callable[..., _T], *args: Any, **kwargs: Any) -> Optional[_T]:
    """Run ``function`` in a read-only transaction (consistent reads, no writes)."""
    return _run(None, function, args, kwargs, read_only=True)


def run_in_read_only_transaction_options(options: Optional[TransactionOptions], function: Callable[..., _T],
                                         *args: Any, **kwargs: Any) -> Optional[_T]:
    """run_in_read_only_transaction with TransactionOptions."""
    return _run(options, function, args, kwargs, read_only=True)


@overload
def transactional(func: _F, require_new: bool = ..., **options: Any) -> _F: ...
@overload
def transactional(func: None = ..., require_new: bool = ..., **options: Any) -> Callable[[_F], _F]: ...
def transactional(func: Optional[_F] = None, require_new: bool = False, **options: Any) -> Any:
    """Decorator: run the function in a transaction. Works bare (``@db.transactional``) or with options.

    Options are those of ``create_transaction_options`` (``xg``, ``retries``,
    ``propagation``). As in legacy, ``propagation`` defaults to ``db.ALLOWED``:
    called inside a transaction, the function joins it. ``require_new=True``
    (or ``propagation=db.NESTED``) makes that a BadRequestError instead, and
    ``propagation=db.INDEPENDENT`` runs it in a transaction of its own.
    """
    if func is None:
        return lambda wrapped: transactional(wrapped, require_new=require_new, **options)
    if not require_new:
        options.setdefault("propagation", ALLOWED)
    transaction_options = TransactionOptions(**options)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return _run(transaction_options, func, args, kwargs)

    return wrapper


@overload
def non_transactional(func: _F, allow_existing: bool = ...) -> _F: ...
@overload
def non_transactional(func: None = ..., allow_existing: bool = ...) -> Callable[[_F], _F]: ...
def non_transactional(func: Optional[_F] = None, allow_existing: bool = True) -> Any:
    """Decorator: run the function outside any current transaction.

    With ``allow_existing=False`` calling it inside a transaction raises BadRequestError.
    """
    if func is None:
        return lambda wrapped: non_transactional(wrapped, allow_existing=allow_existing)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _context.ensure() as context:
            if context.transaction is None:
                return func(*args, **kwargs)
            if not allow_existing:
                raise errors.BadRequestError("Function cannot be called from within a transaction.")
            with context.new(transaction=None).use():
                return func(*args, **kwargs)

    return wrapper
