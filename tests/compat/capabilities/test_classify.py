"""Which write outcomes say "writes are refused"."""

import grpc
import pytest
from google.api_core import exceptions as core

from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities.classify import Signal, classify, describe, is_read_only_message
from compat.db import errors as db_errors


class _RpcError(grpc.RpcError, grpc.Call):
    """A gRPC error as the channel raises it (only the parts classify reads)."""

    def __init__(self, code, details):
        self._code, self._details = code, details

    def code(self):
        return self._code

    def details(self):
        return self._details

    def initial_metadata(self):
        return None

    def trailing_metadata(self):
        return None

    def is_active(self):
        return False

    def time_remaining(self):
        return None

    def cancel(self):
        return False

    def add_callback(self, callback):
        return False


@pytest.mark.parametrize("error, expected", [
    (None, Signal.SUCCESS),
    (core.PermissionDenied("Missing or insufficient permissions."), Signal.REFUSED),
    (core.FailedPrecondition("The database is in read-only mode"), Signal.REFUSED),
    (core.FailedPrecondition("Datastore writes are disabled for this project"), Signal.REFUSED),
    (core.FailedPrecondition("no matching index found. recommended index is: ..."), Signal.NEUTRAL),
    (core.FailedPrecondition("Cannot modify entities in a read-only transaction"), Signal.NEUTRAL),
    (core.ServiceUnavailable("backend unavailable"), Signal.UNAVAILABLE),
    (core.DeadlineExceeded("deadline"), Signal.UNAVAILABLE),
    (core.Aborted("too much contention on these datastore entities"), Signal.NEUTRAL),
    (core.InvalidArgument("entity too big"), Signal.NEUTRAL),
    (core.Unauthenticated("bad credentials"), Signal.NEUTRAL),
    (core.ResourceExhausted("quota"), Signal.NEUTRAL),
    (core.InternalServerError("oops"), Signal.NEUTRAL),
    (CapabilityDisabledError("ours"), Signal.IGNORED),
    (ValueError("not a transport error"), Signal.NEUTRAL),
])
def test_api_core_errors(error, expected):
    assert classify(error) is expected


def test_retry_error_counts_unavailable_that_outlived_the_retries():
    exhausted = core.RetryError("Maximum number of 3 retries exceeded", cause=core.ServiceUnavailable("x"))
    assert classify(exhausted) is Signal.REFUSED
    contention = core.RetryError("Maximum number of 3 retries exceeded", cause=core.Aborted("contention"))
    assert classify(contention) is Signal.NEUTRAL
    # ndb replaces an Unknown cause by a string
    assert classify(core.RetryError("x", cause="google.api_core.exceptions.Unknown")) is Signal.NEUTRAL


def test_raw_grpc_errors():
    assert classify(_RpcError(grpc.StatusCode.PERMISSION_DENIED, "no")) is Signal.REFUSED
    assert classify(_RpcError(grpc.StatusCode.UNAVAILABLE, "down")) is Signal.UNAVAILABLE
    assert classify(_RpcError(grpc.StatusCode.ABORTED, "contention")) is Signal.NEUTRAL


def test_legacy_wrapped_errors_are_classified_by_their_cause():
    try:
        db_errors.reraise(core.PermissionDenied("denied"))
    except db_errors.Error as legacy:
        assert classify(legacy) is Signal.REFUSED
    try:
        db_errors.reraise(core.Aborted("contention"))
    except db_errors.Error as legacy:
        assert classify(legacy) is Signal.NEUTRAL


def test_read_only_message_patterns():
    assert is_read_only_message("database is READ_ONLY")
    assert is_read_only_message("writes not allowed during maintenance")
    assert not is_read_only_message("read-only transaction cannot write")
    assert not is_read_only_message("")


def test_describe_names_the_code():
    assert describe(core.PermissionDenied("denied")) == "PERMISSION_DENIED: denied"
    assert describe(core.RetryError("r", cause=core.ServiceUnavailable("down"))) == \
        "UNAVAILABLE: down (after retries)"
