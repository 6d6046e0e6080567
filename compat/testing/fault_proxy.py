"""A gRPC fault-injection proxy in front of the Datastore emulator.

Neither Datastore emulator can pretend that writes are disabled, so read-only
handling is tested by putting this proxy between the client and the
emulator. It forwards every ``google.datastore.v1.Datastore`` call as raw
bytes (nothing is decoded unless a rule needs to look) and can be switched at
run time, from any thread, to reject some calls with a chosen status code --
which exercises the real client stack (google-cloud-ndb, its retries, the
gRPC channel) exactly as a refusing server would::

    with DatastoreFaultProxy(emulator.host) as proxy, proxy.exported():
        proxy.reject_writes(grpc.StatusCode.PERMISSION_DENIED, "writes disabled")
        ...                      # writes fail, reads are served
        proxy.allow_all()        # writes work again
        assert proxy.calls["Commit"] == 3

"Writes" are what a read-only database refuses: ``Commit`` with at least one
mutation and ``BeginTransaction`` that is not read-only. Read-only
transactions (ndb commits them with no mutations) and all reads pass.
The pytest fixture ``datastore_fault_proxy`` (see docs/testing.md) runs one
in front of the session's emulator.
"""

import collections
import contextlib
import os
import threading
from concurrent import futures

import grpc

SERVICE = "google.datastore.v1.Datastore"
METHODS = ("Lookup", "RunQuery", "RunAggregationQuery", "BeginTransaction", "Commit",
           "Rollback", "AllocateIds", "ReserveIds")
_PREFIX = "/%s/" % SERVICE
_NO_DEADLINE = 10.0 ** 9
_DROPPED_METADATA = frozenset(("user-agent", "content-type", "te", "grpc-timeout",
                               "grpc-accept-encoding", "grpc-encoding"))


def is_write_request(method, request_bytes):
    """True when ``method`` with this serialized request would write (see module docstring)."""
    from google.cloud.datastore_v1.types import datastore

    if method == "Commit":
        request = datastore.CommitRequest.pb().FromString(request_bytes)
        return len(request.mutations) > 0
    if method == "BeginTransaction":
        request = datastore.BeginTransactionRequest.pb().FromString(request_bytes)
        if not request.HasField("transaction_options"):
            return True
        return request.transaction_options.WhichOneof("mode") != "read_only"
    return False


class _Rule:
    """Reject calls to ``methods`` (matching ``predicate``) with ``code``, ``times`` times or forever."""

    def __init__(self, methods, code, message, predicate=None, times=None):
        if not isinstance(code, grpc.StatusCode) or code is grpc.StatusCode.OK:
            raise ValueError("a fault needs a non-OK grpc.StatusCode, got %r" % (code,))
        unknown = set(methods) - set(METHODS)
        if unknown:
            raise ValueError("unknown Datastore method(s) %s; known: %s"
                             % (", ".join(sorted(unknown)), ", ".join(METHODS)))
        if times is not None and (not isinstance(times, int) or times < 1):
            raise ValueError("times must be a positive int or None, got %r" % (times,))
        self.methods = frozenset(methods)
        self.code = code
        self.message = message
        self.predicate = predicate
        self.remaining = times

    def matches(self, method, request_bytes):
        if method not in self.methods or self.remaining == 0:
            return False
        return self.predicate is None or self.predicate(method, request_bytes)


class DatastoreFaultProxy:
    """A gRPC proxy forwarding the Datastore API to ``upstream``, with switchable faults.

    Args:
        upstream: ``host:port`` of the emulator (or any Datastore gRPC endpoint
            reachable without TLS).
        host: interface to listen on (default loopback); the port is picked free.
        max_workers: server threads (concurrent calls in flight).

    Attributes:
        calls: ``collections.Counter`` of calls received per method name
            (rejected ones included) -- ``calls["Commit"] == 0`` proves no
            write RPC reached the database.
        rejected: ``Counter`` of calls rejected per method name.
    """

    def __init__(self, upstream, host="127.0.0.1", max_workers=16):
        self.upstream = upstream
        self._listen = host
        self._max_workers = max_workers
        self._lock = threading.Lock()
        self._rules = []
        self.calls = collections.Counter()
        self.rejected = collections.Counter()
        self._server = None
        self._channel = None
        self.port = None

    # -- lifecycle -------------------------------------------------------------------

    @property
    def host(self):
        """``host:port`` clients should use (the value for ``DATASTORE_EMULATOR_HOST``)."""
        if self.port is None:
            raise RuntimeError("the fault proxy is not started")
        return "%s:%d" % (self._listen, self.port)

    def start(self):
        """Start listening; returns self."""
        if self._server is not None:
            return self
        self._channel = grpc.insecure_channel(self.upstream, options=[
            ("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1)])
        server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=self._max_workers, thread_name_prefix="fault-proxy"),
            options=[("grpc.max_send_message_length", -1), ("grpc.max_receive_message_length", -1),
                     ("grpc.so_reuseport", 0)],
        )
        server.add_generic_rpc_handlers((_Handler(self),))
        port = server.add_insecure_port("%s:0" % self._listen)
        if not port:
            self._channel.close()
            raise RuntimeError("the fault proxy could not bind a port on %s" % self._listen)
        server.start()
        self._server, self.port = server, port
        return self

    def stop(self, grace=None):
        """Stop the server and close the upstream channel (idempotent)."""
        server, self._server = self._server, None
        if server is not None:
            server.stop(grace).wait()
        channel, self._channel = self._channel, None
        if channel is not None:
            channel.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @contextlib.contextmanager
    def exported(self):
        """Point ``DATASTORE_EMULATOR_HOST`` at the proxy for the block, then restore it."""
        saved = os.environ.get("DATASTORE_EMULATOR_HOST")
        os.environ["DATASTORE_EMULATOR_HOST"] = self.host
        try:
            yield self
        finally:
            if saved is None:
                os.environ.pop("DATASTORE_EMULATOR_HOST", None)
            else:
                os.environ["DATASTORE_EMULATOR_HOST"] = saved

    # -- faults ----------------------------------------------------------------------

    def reject_writes(self, code=grpc.StatusCode.PERMISSION_DENIED,
                      message="Datastore writes are disabled (fault injected by compat.testing)",
                      times=None):
        """Reject every write (Commit with mutations, read-write BeginTransaction) with ``code``.

        ``times`` rejects only the next N writes (e.g. a transient UNAVAILABLE).
        Replaces earlier write rules; other rules stay.
        """
        rule = _Rule(("Commit", "BeginTransaction"), code, message, predicate=is_write_request, times=times)
        with self._lock:
            self._rules = [r for r in self._rules if r.predicate is not is_write_request] + [rule]
        return rule

    def reject(self, methods, code, message="fault injected by compat.testing", times=None, when=None):
        """Reject calls to ``methods`` (a name or names, e.g. ``"Lookup"``) with ``code``.

        ``when(method, request_bytes) -> bool`` narrows the rule; ``times``
        limits it to the next N matching calls.
        """
        if isinstance(methods, str):
            methods = (methods,)
        rule = _Rule(tuple(methods), code, message, predicate=when, times=times)
        with self._lock:
            self._rules.append(rule)
        return rule

    def allow_writes(self):
        """Remove the rule set by :meth:`reject_writes`."""
        with self._lock:
            self._rules = [r for r in self._rules if r.predicate is not is_write_request]

    def allow_all(self):
        """Remove every rule: forward everything."""
        with self._lock:
            self._rules = []

    def reset_counts(self):
        """Zero :attr:`calls` and :attr:`rejected`."""
        with self._lock:
            self.calls.clear()
            self.rejected.clear()

    def _fault_for(self, method, request_bytes):
        with self._lock:
            self.calls[method] += 1
            rules = list(self._rules)
        for rule in rules:
            if rule.matches(method, request_bytes):
                with self._lock:
                    if rule.remaining == 0:
                        continue
                    if rule.remaining is not None:
                        rule.remaining -= 1
                    self.rejected[method] += 1
                return rule
        return None

    # -- forwarding ------------------------------------------------------------------

    def _forward(self, method, request_bytes, context):
        rule = self._fault_for(method, request_bytes)
        if rule is not None:
            context.abort(rule.code, rule.message)
        channel = self._channel
        if channel is None:
            context.abort(grpc.StatusCode.UNAVAILABLE, "the fault proxy is stopping")
        metadata = [(key, value) for key, value in context.invocation_metadata()
                    if key not in _DROPPED_METADATA and not key.startswith(":")]
        remaining = context.time_remaining()
        if remaining is not None and remaining > _NO_DEADLINE:
            remaining = None  # gRPC reports "no deadline" as ~9e18 s, which would overflow
        call = channel.unary_unary(_PREFIX + method)  # no serializers: bytes in, bytes out
        try:
            response, upstream_call = call.with_call(request_bytes, timeout=remaining, metadata=metadata)
        except grpc.RpcError as error:
            trailing = error.trailing_metadata() if callable(getattr(error, "trailing_metadata", None)) else None
            if trailing:
                context.set_trailing_metadata(trailing)
            context.abort(error.code(), error.details() or "")
        trailing = upstream_call.trailing_metadata()
        if trailing:
            context.set_trailing_metadata(trailing)
        return response

    def __repr__(self):
        where = self.host if self.port is not None else "stopped"
        return "<DatastoreFaultProxy %s -> %s rules=%d>" % (where, self.upstream, len(self._rules))


class _Handler(grpc.GenericRpcHandler):
    """Routes every ``google.datastore.v1.Datastore`` method to the proxy, as raw bytes."""

    def __init__(self, proxy):
        self._proxy = proxy

    def service(self, handler_call_details):
        method = handler_call_details.method
        if not method.startswith(_PREFIX):
            return None  # UNIMPLEMENTED
        name = method[len(_PREFIX):]
        proxy = self._proxy

        def behaviour(request_bytes, context):
            return proxy._forward(name, request_bytes, context)

        return grpc.unary_unary_rpc_method_handler(behaviour)
