"""The object legacy ``*_async`` calls return: ``get_result()``, ``wait()``, ``check_success()``, ``done()``.

It holds google-cloud-ndb futures and the ndb context they were started in:
waiting re-enters that context so its event loop drives them, whichever
context is current when ``get_result()`` is called.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, TypeVar

from compat import _context
from compat.db import _rpc, errors

_PENDING: Any = object()
_T = TypeVar("_T")


class AsyncResult:
    """The pending result of an asynchronous datastore call."""

    def __init__(self, futures: list[Any], finish: Optional[Callable[[list[Any]], Any]], context: Any,
                 is_write: bool = False, config: Any = None) -> None:
        self._futures = futures
        self._finish = finish
        self._context = context
        self._is_write = is_write
        self._config = config
        self._result = _PENDING
        self._error: Optional[BaseException] = None

    @classmethod
    def done_with(cls, value: Any) -> AsyncResult:
        """An already completed result."""
        result = cls([], None, None)
        result._result = value
        return result

    def done(self) -> bool:
        """True when the call has completed (successfully or not)."""
        return self._result is not _PENDING or self._error is not None or all(f.done() for f in self._futures)

    def wait(self) -> None:
        """Block until the call completes (errors are raised by get_result())."""
        try:
            self.get_result()
        except Exception:
            pass

    def check_success(self) -> None:
        """Raise the call's error, if it failed."""
        self.get_result()

    def _reports_writes(self) -> bool:
        """Writes report to the read-only breaker, except inside a transaction (the commit reports)."""
        return self._is_write and getattr(self._context, "transaction", None) is None

    def get_result(self) -> Any:
        """Wait for and return the result; raise legacy db errors on failure."""
        if self._error is not None:
            raise self._error
        if self._result is not _PENDING:
            return self._result
        try:
            if self._context is None or _context.current() is self._context:
                values = [future.result() for future in self._futures]
            else:
                with self._context.use():
                    values = [future.result() for future in self._futures]
        except Exception as error:
            translated = errors.translate(error)
            if self._reports_writes():
                try:
                    _rpc.record_write_result(error)
                except Exception as refused:  # writes are refused: CapabilityDisabledError
                    self._error = refused
                    raise
            self._error = translated
            if translated is error:
                raise
            raise translated from error
        if self._reports_writes():
            _rpc.record_write_result(None)
        self._result = self._finish(values) if self._finish is not None else values
        callback = getattr(self._config, "on_completion", None)
        if callback is not None:
            callback(self)
        return self._result


def call_now(function: Callable[[], _T], is_write: bool = False) -> _T:
    """Run a synchronous datastore call the way ``get_result()`` finishes an asynchronous one.

    Errors come back as legacy db errors; a write outside a transaction
    reports its outcome to the read-only breaker (which may turn the error
    into ``CapabilityDisabledError``).
    """
    try:
        result = function()
    except Exception as error:
        translated = errors.translate(error)
        if is_write:
            _rpc.record_write_result(error)  # raises CapabilityDisabledError when writes are refused
        if translated is error:
            raise
        raise translated from error
    if is_write:
        _rpc.record_write_result(None)
    return result
