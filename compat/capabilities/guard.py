"""The write guard: the one place compat.db asks whether a write may go ahead.

Contract used by compat.db (``compat/db/_rpc.py``):

``check_write()``
    Called before every write RPC (put, delete, transaction begin/commit).
    Raises :class:`compat.apiproxy_errors.CapabilityDisabledError` at once,
    before any RPC, when writes are known to be disabled.
``record_write_result(error=None)``
    Called after every write RPC with the raw exception it raised (``None``
    on success), so observed failures can trip a breaker.

Until the read-only implementation lands these are no-ops.
"""


def check_write():
    """Raise CapabilityDisabledError if writes are currently disabled."""


def record_write_result(error=None):
    """Observe the outcome of a write RPC (``error`` is None on success)."""
