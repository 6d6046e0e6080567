"""Decide what the outcome of a write RPC says about whether writes are enabled.

Cloud Datastore has no "writes are disabled" status. What a client sees when
writes are refused is a gRPC status code, so every outcome is sorted into one
of the :class:`Signal` values below (docs/read-only.md explains the choices):

* success -> ``SUCCESS``;
* PERMISSION_DENIED -> ``REFUSED``: the server refused the write;
* FAILED_PRECONDITION whose message reads "read-only", "writes disabled",
  ... (not "read-only transaction") -> ``REFUSED``;
* UNAVAILABLE, DEADLINE_EXCEEDED -> ``UNAVAILABLE``: counts only when it persists;
* ``RetryError`` caused by UNAVAILABLE / DEADLINE_EXCEEDED -> ``REFUSED``: it
  already persisted past ndb's retries;
* our own CapabilityDisabledError -> ``IGNORED``: no RPC was made;
* anything else (ABORTED contention, INVALID_ARGUMENT, UNAUTHENTICATED,
  RESOURCE_EXHAUSTED, INTERNAL, ...) -> ``NEUTRAL``: says nothing about
  read-only mode.

Errors wrapped by the legacy hierarchy are classified by the transport error
in their cause chain.
"""

import enum
import re

import grpc
from google.api_core import exceptions as core_exceptions

from compat.apiproxy_errors import CapabilityDisabledError


class Signal(enum.Enum):
    """What one write outcome tells the breaker."""

    SUCCESS = "success"
    REFUSED = "refused"
    UNAVAILABLE = "unavailable"
    NEUTRAL = "neutral"
    IGNORED = "ignored"


READ_ONLY_MESSAGE = re.compile(
    r"read[\s_-]?only|writes?\s+(?:are\s+|is\s+)?(?:disabled|not\s+allowed|blocked|refused)"
    r"|disabled\s+writes|maintenance",
    re.IGNORECASE,
)
"""FAILED_PRECONDITION messages matching this mean "the database refuses writes"."""

_READ_ONLY_TRANSACTION = re.compile(r"read[\s_-]?only\s+transaction", re.IGNORECASE)

_TRANSIENT_UNAVAILABLE = frozenset((grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED))


def grpc_code_and_message(error):
    """The ``(grpc.StatusCode, message)`` of an api_core or gRPC error, else ``(None, '')``."""
    if isinstance(error, core_exceptions.GoogleAPICallError):
        return error.grpc_status_code, error.message or str(error)
    if isinstance(error, grpc.RpcError) and callable(getattr(error, "code", None)):
        try:
            return error.code(), error.details() or ""
        except Exception:  # a failed interceptor outcome has no real code
            return None, ""
    return None, ""


def _transport_error(error):
    """The first api_core/gRPC/RetryError in ``error``'s cause chain (legacy wrappers hide it)."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, (core_exceptions.GoogleAPIError, grpc.RpcError)):
            return error
        error = getattr(error, "__cause__", None) or getattr(error, "__context__", None)
    return None


def is_read_only_message(message):
    """True when a FAILED_PRECONDITION message says the database refuses writes.

    "read-only transaction" messages are about the caller's own transaction
    mode, not about maintenance, and do not count.
    """
    return bool(READ_ONLY_MESSAGE.search(message or "")) and not _READ_ONLY_TRANSACTION.search(message)


def classify(error):
    """Sort the outcome of one write RPC (``None`` for success) into a :class:`Signal`."""
    if error is None:
        return Signal.SUCCESS
    if isinstance(error, CapabilityDisabledError):
        return Signal.IGNORED
    transport = _transport_error(error)
    if transport is None:
        return Signal.NEUTRAL
    if isinstance(transport, core_exceptions.RetryError):
        cause = getattr(transport, "cause", None)
        if cause is None or cause is transport:
            return Signal.NEUTRAL
        signal = classify(cause)
        # UNAVAILABLE that survived every retry has persisted: it counts at once.
        return Signal.REFUSED if signal is Signal.UNAVAILABLE else signal
    code, message = grpc_code_and_message(transport)
    if code == grpc.StatusCode.PERMISSION_DENIED:
        return Signal.REFUSED
    if code == grpc.StatusCode.FAILED_PRECONDITION and is_read_only_message(message):
        return Signal.REFUSED
    if code in _TRANSIENT_UNAVAILABLE:
        return Signal.UNAVAILABLE
    return Signal.NEUTRAL


def describe(error):
    """A short description of an error for logs: ``'PERMISSION_DENIED: ...'``."""
    transport = _transport_error(error) if error is not None else None
    if isinstance(transport, core_exceptions.RetryError) and getattr(transport, "cause", None) is not None:
        return "%s (after retries)" % describe(transport.cause)
    code, message = grpc_code_and_message(transport) if transport is not None else (None, "")
    if code is not None:
        return "%s: %s" % (code.name, message)
    return "%s: %s" % (type(error).__name__, error)
