"""Guard a plain google-cloud-ndb client: the same breaker for converted apps.

Apps converted to idiomatic google-cloud-ndb do not go through compat.db, so
its guard calls never run. :func:`guard_ndb_client` gives their
``ndb.Client`` the same protection with a gRPC client interceptor:

* before a write RPC -- ``Commit`` with at least one mutation, or
  ``BeginTransaction`` that is not read-only -- it asks the monitor and, while
  writes are disabled, raises ``CapabilityDisabledError`` without sending it;
* after the RPC it records the outcome in the breaker, and when the outcome
  means "writes are refused" the call fails with ``CapabilityDisabledError``
  (chained to the gRPC error) instead.

ndb treats ``CapabilityDisabledError`` as non-transient, so it raises it at
once instead of retrying for ~15 s. Reads, read-only transactions and commits
without mutations pass untouched.

How ndb builds its stub (google-cloud-ndb 2.x ``client.py``): ``Client.__init__``
creates a gRPC channel (insecure when ``DATASTORE_EMULATOR_HOST`` is set) and
wraps it in ``DatastoreGrpcTransport(channel=...)`` as ``client.stub``;
``_datastore_api.make_call`` calls ``getattr(client.stub, rpc_name).future(...)``.
We rebuild that transport on ``grpc.intercept_channel(channel, interceptor)``.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Optional

import grpc
from google.api_core import exceptions as core_exceptions

from compat.capabilities.monitor import WriteMonitor, get_monitor

_SERVICE = "/google.datastore.v1.Datastore/"


def _raw(request):
    """The protobuf message behind a proto-plus request (or the request itself)."""
    to_pb = getattr(type(request), "pb", None)
    if to_pb is not None:
        try:
            return to_pb(request)
        except TypeError:
            pass
    return request


def is_write_call(method, request):
    """True for RPCs that write: Commit with mutations, read-write BeginTransaction."""
    if not method.startswith(_SERVICE):
        return False
    name = method[len(_SERVICE):]
    if name == "Commit":
        return len(_raw(request).mutations) > 0
    if name == "BeginTransaction":
        options = _raw(request)
        if not options.HasField("transaction_options"):
            return True
        return options.transaction_options.WhichOneof("mode") != "read_only"
    return False


class _ReportingCall(grpc.Call, grpc.Future):
    """Wraps the call of a write RPC: records its outcome once, and may replace its error."""

    def __init__(self, inner, monitor):
        self._inner = inner
        self._monitor = monitor
        self._lock = threading.Lock()
        self._settled = False
        self._error = None
        inner.add_done_callback(lambda _: self._settle())

    def _settle(self):
        with self._lock:
            if self._settled:
                return
            self._settled = True
            try:
                error = self._inner.exception()
            except grpc.FutureCancelledError:
                return  # the caller gave up: says nothing about the database
            replacement = self._monitor.record_write_result(error)
            if replacement is not None and isinstance(error, grpc.Call):
                # Chain the api_core exception ndb would have raised, not the raw gRPC call.
                replacement.__cause__ = core_exceptions.from_grpc_error(error)
            self._error = replacement if replacement is not None else error

    # grpc.Future
    def exception(self, timeout=None):
        self._inner.exception(timeout)  # waits; raises FutureTimeoutError / FutureCancelledError
        self._settle()
        return self._error

    def result(self, timeout=None):
        error = self.exception(timeout)
        if error is not None:
            raise error
        return self._inner.result()

    def traceback(self, timeout=None):
        return self._inner.traceback(timeout)

    def add_done_callback(self, fn):
        self._inner.add_done_callback(lambda _: (self._settle(), fn(self)))

    def cancel(self):
        return self._inner.cancel()

    def cancelled(self):
        return self._inner.cancelled()

    def running(self):
        return self._inner.running()

    def done(self):
        return self._inner.done()

    # grpc.Call / grpc.RpcContext
    def is_active(self):
        return self._inner.is_active()

    def time_remaining(self):
        return self._inner.time_remaining()

    def add_callback(self, callback):
        return self._inner.add_callback(callback)

    def initial_metadata(self):
        return self._inner.initial_metadata()

    def trailing_metadata(self):
        return self._inner.trailing_metadata()

    def code(self):
        return self._inner.code()

    def details(self):
        return self._inner.details()


class WriteGuardInterceptor(grpc.UnaryUnaryClientInterceptor):
    """gRPC client interceptor applying the write guard to Datastore write RPCs.

    Args:
        monitor: the :class:`~compat.capabilities.monitor.WriteMonitor` to use
            (default: the process-wide one, looked up at each call).
    """

    def __init__(self, monitor: Optional[WriteMonitor] = None) -> None:
        self._monitor = monitor

    def intercept_unary_unary(self, continuation: Callable[[Any, Any], Any], client_call_details: Any,
                              request: Any) -> Any:
        if not is_write_call(client_call_details.method, request):
            return continuation(client_call_details, request)
        monitor = self._monitor or get_monitor()
        monitor.check_write()  # raises CapabilityDisabledError before any RPC
        return _ReportingCall(continuation(client_call_details, request), monitor)


def guard_ndb_client(client: Any, monitor: Optional[WriteMonitor] = None) -> Any:
    """Install the write guard on a ``google.cloud.ndb.Client``; returns the client.

    Idempotent: guarding a guarded client changes nothing. Use it where the
    client is built, e.g. ``client = guard_ndb_client(ndb.Client())``.
    """
    from google.cloud.datastore_v1.services.datastore.transports import grpc as datastore_grpc

    if getattr(client, "_compat_write_guard", None) is not None:
        return client
    interceptor = WriteGuardInterceptor(monitor)
    old = client.stub
    channel = grpc.intercept_channel(old.grpc_channel, interceptor)
    client.stub = datastore_grpc.DatastoreGrpcTransport(
        host=client.host,
        client_info=client.client_info,
        channel=channel,
    )
    client._compat_write_guard = interceptor
    return client
