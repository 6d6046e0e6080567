"""The write guard: the one place compat.db asks whether a write may go ahead.

Contract used by compat.db (``compat/db/_rpc.py``):

``check_write()``
    Called before every write RPC (put, delete, transaction begin/commit).
    Raises :class:`compat.apiproxy_errors.CapabilityDisabledError` at once,
    before any RPC, when writes are known to be disabled (declared
    maintenance, ``COMPAT_READ_ONLY=on``, or an open breaker). In the
    breaker's half-open state the first caller is let through as the trial.
``record_write_result(error=None)``
    Called after every write RPC with the raw exception it raised (``None``
    on success), so observed failures can trip the breaker. When ``error``
    means "the database refuses writes" (PERMISSION_DENIED, a read-only
    FAILED_PRECONDITION, UNAVAILABLE that persisted), it *raises*
    ``CapabilityDisabledError`` chained to ``error``: the write that
    discovered read-only mode fails like every later one, as legacy writes
    did. Call it where the caller would otherwise re-raise ``error`` (in the
    ``except`` block); for any other outcome it returns None.

Both delegate to the process-wide :class:`~compat.capabilities.monitor.WriteMonitor`.
Do not call them around RPCs of an ndb client guarded with
:func:`compat.capabilities.guard_ndb_client`: that client reports on its own.
"""

from __future__ import annotations

from typing import Optional

from compat.capabilities.monitor import get_monitor


def check_write() -> None:
    """Raise CapabilityDisabledError if writes are currently disabled."""
    get_monitor().check_write()


def record_write_result(error: Optional[BaseException] = None) -> None:
    """Observe the outcome of a write RPC (``error`` is None on success).

    Raises CapabilityDisabledError (chained to ``error``) when ``error`` means
    writes are refused; otherwise returns None.
    """
    replacement = get_monitor().record_write_result(error)
    if replacement is not None:
        raise replacement from error
