"""Every scalar property type is stored as legacy ``db`` stored it (value type, meaning, index flag).

Each case puts one value through compat and reads the stored protobuf back
with google-cloud-datastore (never through compat), then loads it through
compat and checks the value and its legacy Python type. The expected rows are
those of shared/reference/storage-format.md and the legacy SDK's v3 -> v1
converter (datastore/datastore_pbs.py).
"""

import datetime

import pytest

from compat import db, users

TARGET_KEY = ("StorageTarget", "t1")


class StorageTarget(db.Model):
    """The entity reference properties point at."""


def _model(prop):
    """A fresh model class (kind ``ScalarCase``) with one property ``p``."""
    return type("ScalarCase", (db.Model,), {"p": prop})


def _target_key():
    return db.Key.from_path(*TARGET_KEY)


# (id, property factory, value assigned, expected Stored tuple, expected loaded value, loaded type)
CASES = [
    ("string", db.StringProperty, "abc", ("string", "abc", None, False), "abc", str),
    ("string-multiline", lambda: db.StringProperty(multiline=True), "a\nb",
     ("string", "a\nb", None, False), "a\nb", str),
    ("string-unindexed", lambda: db.StringProperty(indexed=False), "abc",
     ("string", "abc", None, True), "abc", str),
    ("text", db.TextProperty, "long text", ("string", "long text", 15, True), "long text", db.Text),
    ("text-from-bytes", db.TextProperty, b"ascii bytes", ("string", "ascii bytes", 15, True),
     "ascii bytes", db.Text),
    ("bytestring", db.ByteStringProperty, b"\x00\xff", ("blob", b"\x00\xff", None, False),
     b"\x00\xff", db.ByteString),
    ("bytestring-from-str", db.ByteStringProperty, "é", ("blob", "é".encode("utf-8"), None, False),
     "é".encode("utf-8"), db.ByteString),
    # Legacy's v3 -> v1 conversion keeps the BYTESTRING meaning (16) on an unindexed ByteString.
    ("bytestring-unindexed", lambda: db.ByteStringProperty(indexed=False), b"\x01",
     ("blob", b"\x01", 16, True), b"\x01", db.ByteString),
    ("blob", db.BlobProperty, b"\x00\x01" * 1000, ("blob", b"\x00\x01" * 1000, None, True),
     b"\x00\x01" * 1000, db.Blob),
    ("integer", db.IntegerProperty, 42, ("integer", 42, None, False), 42, int),
    ("integer-max", db.IntegerProperty, 2 ** 63 - 1, ("integer", 2 ** 63 - 1, None, False), 2 ** 63 - 1, int),
    ("integer-min", db.IntegerProperty, -(2 ** 63), ("integer", -(2 ** 63), None, False), -(2 ** 63), int),
    ("integer-zero", db.IntegerProperty, 0, ("integer", 0, None, False), 0, int),
    ("float", db.FloatProperty, 2.5, ("double", 2.5, None, False), 2.5, float),
    ("boolean-false", db.BooleanProperty, False, ("boolean", False, None, False), False, bool),
    ("boolean-true", db.BooleanProperty, True, ("boolean", True, None, False), True, bool),
    ("datetime", db.DateTimeProperty, datetime.datetime(2009, 2, 13, 23, 31, 30, 123456),
     ("timestamp", datetime.datetime(2009, 2, 13, 23, 31, 30, 123456), None, False),
     datetime.datetime(2009, 2, 13, 23, 31, 30, 123456), datetime.datetime),
    ("date", db.DateProperty, datetime.date(2011, 3, 11),
     ("timestamp", datetime.datetime(2011, 3, 11), None, False), datetime.date(2011, 3, 11), datetime.date),
    ("time", db.TimeProperty, datetime.time(14, 46, 18, 5),
     ("timestamp", datetime.datetime(1970, 1, 1, 14, 46, 18, 5), None, False),
     datetime.time(14, 46, 18, 5), datetime.time),
    ("time-midnight", db.TimeProperty, datetime.time(0, 0),
     ("timestamp", datetime.datetime(1970, 1, 1), None, False), datetime.time(0, 0), datetime.time),
    ("email", db.EmailProperty, "a@example.com", ("string", "a@example.com", 8, False), "a@example.com", db.Email),
    ("link", db.LinkProperty, "http://example.com/x?y=1", ("string", "http://example.com/x?y=1", 2, False),
     "http://example.com/x?y=1", db.Link),
    ("category", db.CategoryProperty, "news", ("string", "news", 1, False), "news", db.Category),
    ("phone", db.PhoneNumberProperty, "+81 3 1234 5678", ("string", "+81 3 1234 5678", 11, False),
     "+81 3 1234 5678", db.PhoneNumber),
    ("postal", db.PostalAddressProperty, "1-1 Chiyoda, Tokyo", ("string", "1-1 Chiyoda, Tokyo", 12, False),
     "1-1 Chiyoda, Tokyo", db.PostalAddress),
    ("rating", db.RatingProperty, 85, ("integer", 85, 13, False), 85, db.Rating),
    ("rating-zero", db.RatingProperty, 0, ("integer", 0, 13, False), 0, db.Rating),
    ("im", db.IMProperty, "xmpp alice@example.com", ("string", "xmpp alice@example.com", 10, False),
     db.IM("xmpp", "alice@example.com"), db.IM),
    ("im-url-protocol", db.IMProperty, db.IM("http://aim.com/", "bob"),
     ("string", "http://aim.com/ bob", 10, False), db.IM("http://aim.com/", "bob"), db.IM),
    ("geopt", db.GeoPtProperty, "35.68,139.76", ("geo_point", (35.68, 139.76), None, False),
     db.GeoPt(35.68, 139.76), db.GeoPt),
    ("reference", lambda: db.ReferenceProperty(StorageTarget, collection_name="scalar_case_refs"),
     _target_key, ("key", TARGET_KEY, None, False), _target_key, db.Key),
]


def _call(value):
    return value() if callable(value) and not isinstance(value, type) else value


@pytest.mark.parametrize("factory, value, expected, loaded, loaded_type",
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_value_is_stored_with_legacy_type_meaning_and_index_flag(raw, factory, value, expected, loaded, loaded_type):
    model = _model(factory())
    key = model(p=_call(value)).put()

    assert raw.stored(key) == {"p": expected}

    reloaded = model.get(key)
    if loaded_type is db.Key:  # a reference dereferences on access; its stored form is the key
        assert model.p.get_value_for_datastore(reloaded) == _call(loaded)
        return
    assert reloaded.p == _call(loaded)
    assert isinstance(reloaded.p, loaded_type)


@pytest.mark.parametrize("factory", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_none_is_an_indexed_null_on_every_scalar_property(raw, factory):
    """Even Text and Blob store None as an indexed null (legacy); ndb would exclude it."""
    model = _model(factory())
    prop = model.p
    key = model().put()

    assert raw.stored(key) == {"p": ("null", None, None, not prop.indexed)}
    assert model.get(key).p is None


@pytest.mark.parametrize("factory", [
    lambda: db.StringProperty(indexed=False),
    lambda: db.IntegerProperty(indexed=False),
    lambda: db.DateTimeProperty(indexed=False),
    lambda: db.ByteStringProperty(indexed=False),
    lambda: db.EmailProperty(indexed=False),
], ids=["string", "integer", "datetime", "bytestring", "email"])
def test_none_on_an_unindexed_property_is_an_excluded_null(raw, factory):
    model = _model(factory())
    key = model(p=None).put()

    assert raw.stored(key) == {"p": ("null", None, None, True)}


@pytest.mark.parametrize("factory, value, expected", [
    (lambda: db.IntegerProperty(indexed=False), 7, ("integer", 7, None, True)),
    (lambda: db.EmailProperty(indexed=False), "a@b.c", ("string", "a@b.c", 8, True)),
    (lambda: db.RatingProperty(indexed=False), 10, ("integer", 10, 13, True)),
    (lambda: db.DateProperty(indexed=False), datetime.date(2000, 1, 1),
     ("timestamp", datetime.datetime(2000, 1, 1), None, True)),
    (lambda: db.GeoPtProperty(indexed=False), db.GeoPt(1, 2), ("geo_point", (1.0, 2.0), None, True)),
], ids=["integer", "email", "rating", "date", "geopt"])
def test_indexed_false_excludes_the_value_and_keeps_its_meaning(raw, factory, value, expected):
    model = _model(factory())
    key = model(p=value).put()

    assert raw.stored(key) == {"p": expected}


def test_user_property_is_an_embedded_entity_with_meaning_20(raw):
    model = _model(db.UserProperty())
    user = users.User("alice@example.com", _user_id="1234567890")
    key = model(p=user).put()

    stored = raw.stored(key)["p"]
    assert (stored.type, stored.meaning, stored.excluded) == ("entity", 20, False)
    assert stored.value == {
        "email": ("string", "alice@example.com", None, True),
        "auth_domain": ("string", "gmail.com", None, True),
        "user_id": ("string", "1234567890", None, True),
    }
    loaded = model.get(key).p
    assert isinstance(loaded, users.User)
    assert (loaded.email(), loaded.auth_domain(), loaded.user_id()) == ("alice@example.com", "gmail.com",
                                                                     "1234567890")
    assert loaded == user


def test_user_without_user_id_sends_only_email_and_auth_domain(raw):
    """compat writes what legacy wrote; the emulator (like dev_appserver) may add a user_id of its own."""
    model = _model(db.UserProperty())
    instance = model(p=users.User("bob@example.com", _auth_domain="example.com"))

    sent = db.model_to_protobuf(instance)
    user_pb = sent.properties["p"]
    assert user_pb.meaning == 20
    assert sorted(user_pb.entity_value.properties.keys()) == ["auth_domain", "email"]
    assert all(value.exclude_from_indexes for value in user_pb.entity_value.properties.values())

    key = instance.put()
    loaded = model.get(key).p
    assert (loaded.email(), loaded.auth_domain()) == ("bob@example.com", "example.com")


def test_self_reference_is_stored_as_a_key(raw):
    class SelfRefNode(db.Model):
        up = db.SelfReferenceProperty(collection_name="scalar_children")

    root_key = SelfRefNode(key_name="root").put()
    child_key = SelfRefNode(up=root_key).put()

    assert raw.stored(child_key) == {"up": ("key", ("SelfRefNode", "root"), None, False)}
    assert raw.stored(root_key) == {"up": ("null", None, None, False)}


def test_string_property_accepts_1500_characters_and_refuses_1501():
    model = _model(db.StringProperty())
    assert model(p="x" * 1500).p == "x" * 1500
    with pytest.raises(db.BadValueError, match="p is 1501 .* 1500 or less"):
        model(p="x" * 1501)


def test_multibyte_string_over_1500_bytes_fails_at_put_with_bad_request_and_writes_nothing(raw):
    """The limit is in characters on assignment (final SDKs); the datastore refuses > 1500 bytes."""
    model = _model(db.StringProperty())
    instance = model(p="é" * 751)  # 751 characters, 1502 bytes: accepted on assignment

    with pytest.raises(db.BadRequestError):
        instance.put()

    assert raw.count("ScalarCase") == 0
    assert not instance.is_saved()


def test_multibyte_string_over_1500_bytes_is_stored_when_unindexed(raw):
    model = _model(db.StringProperty(indexed=False))
    key = model(p="é" * 1500).put()

    assert raw.stored(key) == {"p": ("string", "é" * 1500, None, True)}


def test_text_and_blob_have_no_length_limit(raw):
    model = type("LongValues", (db.Model,), {"t": db.TextProperty(), "b": db.BlobProperty()})
    key = model(t="あ" * 100_000, b=b"\x00" * 500_000).put()

    stored = raw.stored(key)
    assert stored["t"] == ("string", "あ" * 100_000, 15, True)
    assert stored["b"] == ("blob", b"\x00" * 500_000, None, True)


def test_bytestring_is_limited_to_1500_bytes():
    model = _model(db.ByteStringProperty())
    assert model(p=b"x" * 1500).p == b"x" * 1500
    with pytest.raises(db.BadValueError, match="1501 bytes long"):
        model(p=b"x" * 1501)


def test_float_special_values_round_trip(raw):
    model = _model(db.FloatProperty())
    key = model(p=float("inf")).put()
    assert raw.stored(key)["p"] == ("double", float("inf"), None, False)
    assert model.get(key).p == float("inf")


def test_empty_string_is_stored_as_an_empty_string_not_null(raw):
    model = _model(db.StringProperty())
    key = model(p="").put()
    assert raw.stored(key) == {"p": ("string", "", None, False)}
