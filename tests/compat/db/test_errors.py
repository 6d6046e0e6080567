"""The legacy error hierarchy, and translation of google-cloud-ndb / google.api_core / gRPC errors.

The expected hierarchy was read from the legacy SDK (``google.appengine.api.datastore_errors``
and ``google.appengine.ext.db``): every class derives from ``Error`` except ``KindError``
(a ``BadValueError``) and ``CommittedButStillApplying`` (a ``Timeout``).
"""

import grpc
import pytest
from google.api_core import exceptions as core

from compat import apiproxy_errors, db
from compat.db import errors

LEGACY_HIERARCHY = {
    "Error": "Exception",
    "BadArgumentError": "Error", "BadFilterError": "Error", "BadKeyError": "Error", "BadPropertyError": "Error",
    "BadQueryError": "Error", "BadRequestError": "Error", "BadValueError": "Error",
    "CommittedButStillApplying": "Timeout", "ConfigurationError": "Error", "DerivedPropertyError": "Error",
    "DuplicatePropertyError": "Error", "EntityNotFoundError": "Error", "InternalError": "Error",
    "KindError": "BadValueError", "NeedIndexError": "Error", "NotSavedError": "Error", "PropertyError": "Error",
    "QueryNotFoundError": "Error", "ReferencePropertyResolveError": "Error", "ReservedWordError": "Error",
    "Rollback": "Error", "Timeout": "Error", "TransactionFailedError": "Error",
    "TransactionNotFoundError": "Error",
}


@pytest.mark.parametrize("name, base", sorted(LEGACY_HIERARCHY.items()))
def test_every_legacy_error_class_exists_with_its_legacy_base(name, base):
    cls = getattr(db, name)
    assert cls.__name__ == name
    assert cls.__bases__[0].__name__ == base
    assert issubclass(cls, Exception)


def test_validation_error_is_bad_value_error():
    assert db.ValidationError is db.BadValueError


def test_bad_filter_error_keeps_the_filter_and_need_index_error_its_details():
    error = db.BadFilterError("x >")
    assert error.filter == "x >" and "invalid filter: x >." in str(error)
    need = db.NeedIndexError("no index", original_message="orig", yaml_index="- kind: K")
    assert (need.OriginalMessage(), need.YamlIndex()) == ("orig", "- kind: K")


# (google.api_core error, legacy class)
TRANSLATIONS = [
    (core.Aborted("contention"), db.TransactionFailedError),
    (core.Conflict("conflict"), db.TransactionFailedError),
    (core.DeadlineExceeded("slow"), db.Timeout),
    (core.GatewayTimeout("slow"), db.Timeout),
    (core.ServiceUnavailable("down"), db.Timeout),
    (core.FailedPrecondition("no matching index found. recommended index is: ..."), db.NeedIndexError),
    (core.FailedPrecondition("something else"), db.BadRequestError),
    (core.InvalidArgument("bad"), db.BadRequestError),
    (core.PermissionDenied("nope"), db.BadRequestError),
    (core.Unauthenticated("who"), db.BadRequestError),
    (core.NotFound("project"), db.BadRequestError),
    (core.InternalServerError("oops"), db.InternalError),
    (core.Unknown("?"), db.InternalError),
    (core.ResourceExhausted("quota"), apiproxy_errors.OverQuotaError),
    (core.OutOfRange("cursor out of range"), db.BadRequestError),
    (core.BadRequest("any other 400"), db.BadRequestError),
]


@pytest.mark.parametrize("error, legacy", TRANSLATIONS, ids=[type(e).__name__ + "-" + str(e.message)[:12]
                                                              for e, _ in TRANSLATIONS])
def test_api_core_errors_translate_to_legacy_classes(error, legacy):
    translated = errors.translate(error)
    assert type(translated) is legacy
    assert error.message in str(translated)


def test_grpc_status_errors_translate_by_their_code():
    rpc_error = core.from_grpc_status(grpc.StatusCode.ABORTED, "too much contention")
    assert type(errors.translate(rpc_error)) is db.TransactionFailedError
    rpc_error = core.from_grpc_status(grpc.StatusCode.RESOURCE_EXHAUSTED, "quota")
    assert isinstance(errors.translate(rpc_error), apiproxy_errors.OverQuotaError)


def test_retry_errors_translate_by_their_cause_or_as_timeout():
    aborted = core.RetryError("gave up", cause=core.Aborted("contention"))
    assert type(errors.translate(aborted)) is db.TransactionFailedError
    internal = core.RetryError("gave up", cause=core.InternalServerError("x"))
    assert type(errors.translate(internal)) is db.InternalError
    no_cause = core.RetryError("gave up", cause=None)
    assert type(errors.translate(no_cause)) is db.Timeout


def test_legacy_and_unrelated_errors_pass_through_unchanged():
    legacy = db.BadValueError("x")
    assert errors.translate(legacy) is legacy
    unrelated = KeyError("k")
    assert errors.translate(unrelated) is unrelated


def test_reraise_chains_the_original_error():
    original = core.DeadlineExceeded("slow")
    with pytest.raises(db.Timeout) as raised:
        errors.reraise(original)
    assert raised.value.__cause__ is original
    with pytest.raises(KeyError):
        errors.reraise(KeyError("k"))


# -- through the real call path (the fault proxy answers with gRPC errors) ---------------------


class ErrKind(db.Model):
    n = db.IntegerProperty()


@pytest.mark.parametrize("code, legacy", [
    (grpc.StatusCode.DEADLINE_EXCEEDED, db.Timeout),
    (grpc.StatusCode.INVALID_ARGUMENT, db.BadRequestError),
    (grpc.StatusCode.PERMISSION_DENIED, db.BadRequestError),
], ids=["deadline", "invalid", "denied"])
def test_a_failing_lookup_raises_the_legacy_error_never_a_raw_one(raw, counted, code, legacy):
    counted.reject("Lookup", code, "injected")
    with pytest.raises(legacy) as raised:
        db.get(db.Key.from_path("ErrKind", 1))
    assert isinstance(raised.value.__cause__, core.GoogleAPICallError)
    with pytest.raises(legacy):
        db.get_async([db.Key.from_path("ErrKind", 2)]).get_result()


def test_a_failing_commit_raises_the_legacy_error_and_writes_nothing(raw, counted):
    counted.reject("Commit", grpc.StatusCode.INVALID_ARGUMENT, "injected")
    instance = ErrKind(key_name="x", n=1)
    with pytest.raises(db.BadRequestError, match="injected"):
        instance.put()
    assert not instance.is_saved()
    assert raw.count("ErrKind") == 0
