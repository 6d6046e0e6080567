"""Bad values are refused with legacy's error class, in the constructor and on assignment, before
any RPC; a put that fails validation writes nothing.

The accept/refuse outcome (and error class) of these inputs was compared with the legacy SDK's
``db`` run on the same properties and values.
"""

import datetime

import pytest

from compat import db, users


class ValTarget(db.Model):
    pass


class ValOther(db.Model):
    pass


# (id, property factory, bad value, legacy error class, message fragment)
BAD = [
    ("string<-int", db.StringProperty, 5, db.BadValueError, "must be a str"),
    ("string<-bytes", db.StringProperty, b"bytes", db.BadValueError, "must be a str"),
    ("string-newline", db.StringProperty, "a\nb", db.BadValueError, "is not multi-line"),
    ("string-too-long", db.StringProperty, "x" * 1501, db.BadValueError, "1501 bytes long"),
    ("text<-int", db.TextProperty, 5, db.BadValueError, "must be convertible to a Text"),
    ("text<-list", db.TextProperty, ["a"], db.BadValueError, "must be convertible to a Text"),
    ("blob<-str", db.BlobProperty, "text", db.BadValueError, "must be convertible to a Blob"),
    ("bytestring<-int", db.ByteStringProperty, 5, db.BadValueError, "ByteString"),
    ("bytestring-too-long", db.ByteStringProperty, b"x" * 1501, db.BadValueError, "1501 bytes long"),
    ("integer<-str", db.IntegerProperty, "1", db.BadValueError, "must be an int or long, not a str"),
    ("integer<-float", db.IntegerProperty, 1.0, db.BadValueError, "must be an int or long, not a float"),
    ("integer<-bool", db.IntegerProperty, True, db.BadValueError, "must be an int or long, not a bool"),
    ("integer-over-64-bits", db.IntegerProperty, 2 ** 63, db.BadValueError, "must fit in 64 bits"),
    ("integer-under-64-bits", db.IntegerProperty, -(2 ** 63) - 1, db.BadValueError, "must fit in 64 bits"),
    ("float<-int", db.FloatProperty, 1, db.BadValueError, "must be a float"),
    ("float<-str", db.FloatProperty, "1.5", db.BadValueError, "must be a float"),
    ("boolean<-int", db.BooleanProperty, 1, db.BadValueError, "must be a bool"),
    ("email<-int", db.EmailProperty, 5, db.BadValueError, "email should be a string"),
    ("email-empty", db.EmailProperty, "", db.BadValueError, "email must not be empty"),
    ("link-no-scheme", db.LinkProperty, "example.com/x", db.BadValueError, "Invalid URL"),
    ("link-no-host", db.LinkProperty, "file:///etc/passwd", db.BadValueError, "must be a full URL"),
    ("link-mailto", db.LinkProperty, "mailto:a@b.c", db.BadValueError, "Invalid URL"),
    ("link-too-long", db.LinkProperty, "http://x.y/" + "a" * 2100, db.BadValueError, "under 2083 bytes"),
    ("category<-int", db.CategoryProperty, 1, db.BadValueError, "tag should be a string"),
    ("phone-empty", db.PhoneNumberProperty, "", db.BadValueError, "phone must not be empty"),
    ("postal<-int", db.PostalAddressProperty, 9, db.BadValueError, "address should be a string"),
    ("rating-101", db.RatingProperty, 101, db.BadValueError, "between 0 and 100"),
    ("rating-negative", db.RatingProperty, -1, db.BadValueError, "between 0 and 100"),
    ("rating<-float", db.RatingProperty, 50.0, db.BadValueError, "must be an int or long, not a float"),
    ("rating<-str", db.RatingProperty, "abc", db.BadValueError, "must be an int or long, not a str"),
    ("rating<-numeric-str", db.RatingProperty, "100", db.BadValueError, "must be an int or long, not a str"),
    ("rating<-bool", db.RatingProperty, True, db.BadValueError, "must be an int or long, not a bool"),
    ("im-no-space", db.IMProperty, "xmpp", db.BadValueError, "protocol address"),
    ("im-bad-protocol", db.IMProperty, "aim someone", db.BadValueError, "Invalid URL"),
    ("geopt-format", db.GeoPtProperty, "1,2,3", db.BadValueError, "lat,long"),
    ("geopt-latitude", db.GeoPtProperty, "91,0", db.BadValueError, "Latitude must be between -90 and 90"),
    ("geopt-longitude", db.GeoPtProperty, "0,181", db.BadValueError, "Longitude must be between -180 and 180"),
    ("user<-str", db.UserProperty, "a@b.c", db.BadValueError, "must be a User"),
    ("list<-tuple", db.StringListProperty, ("a",), db.BadValueError, "must be a list"),
    ("list-items", lambda: db.ListProperty(int), [1, "2"], db.BadValueError, "must all be integers"),
    ("list-str-items", db.StringListProperty, ["a", 1], db.BadValueError, "must all be str instances"),
    ("list-bytes-items", lambda: db.ListProperty(bytes), [b"a", 1], db.BadValueError,
     "can not be converted to byte"),
    ("list-date-items", lambda: db.ListProperty(datetime.date), ["2020-01-01"], db.BadValueError,
     "must all be date instances"),
    ("reference<-str", lambda: db.ReferenceProperty(ValTarget, collection_name="bad_str_refs"), "ValTarget:1",
     db.BadValueError, "must be a ValTarget instance or a Key"),
    ("reference<-int", lambda: db.ReferenceProperty(ValTarget, collection_name="bad_int_refs"), 1,
     db.BadValueError, "must be a ValTarget instance or a Key"),
]


def _model(prop):
    return type("Validation", (db.Model,), {"p": prop})


@pytest.mark.parametrize("factory, value, error, message", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_value_is_refused_in_the_constructor_and_on_assignment(factory, value, error, message):
    model = _model(factory())
    with pytest.raises(error, match=message):
        model(p=value)
    instance = model()
    before = instance.p
    with pytest.raises(error, match=message):
        instance.p = value
    assert instance.p == before


def test_a_reference_to_another_kind_raises_kind_error_a_bad_value_error():
    model = _model(db.ReferenceProperty(ValTarget, collection_name="kind_refs"))
    with pytest.raises(db.KindError, match="must be an instance of ValTarget"):
        model(p=ValOther(key_name="o"))
    assert issubclass(db.KindError, db.BadValueError)


def test_a_reference_to_an_unsaved_entity_is_refused():
    model = _model(db.ReferenceProperty(ValTarget, collection_name="unsaved_refs"))
    with pytest.raises(db.BadValueError, match="must have a complete key"):
        model(p=ValTarget())


@pytest.mark.parametrize("factory, value, expected", [
    (db.StringProperty, "x" * 1500, "x" * 1500),
    (lambda: db.StringProperty(multiline=True), "a\nb", "a\nb"),
    (db.TextProperty, "x" * 100_000, "x" * 100_000),
    (db.IntegerProperty, 2 ** 63 - 1, 2 ** 63 - 1),
    (db.IntegerProperty, -(2 ** 63), -(2 ** 63)),
    (db.RatingProperty, 0, 0),
    (db.GeoPtProperty, "-90,-180", db.GeoPt(-90, -180)),
    (db.LinkProperty, "ftp://example.com/file", "ftp://example.com/file"),
    (db.IMProperty, "http://www.example.com/im someone", db.IM("http://www.example.com/im", "someone")),
    (lambda: db.ListProperty(int), [True, 1], [True, 1]),
    (db.ByteStringProperty, "unicode é", "unicode é".encode("utf-8")),
    (db.TextProperty, b"ascii", "ascii"),
], ids=["string-1500", "multiline", "text-long", "int-max", "int-min", "rating-0", "geopt-corner",
        "link-ftp", "im-url", "int-list-bool", "bytestring<-str", "text<-bytes"])
def test_boundary_values_are_accepted(factory, value, expected):
    model = _model(factory())
    prop = model.p
    assigned = model(p=value).p
    assert assigned == expected
    if prop.data_type is not list:
        assert isinstance(assigned, prop.data_type)


@pytest.mark.parametrize("make, error, message", [
    (lambda: db.Email(""), db.BadValueError, "must not be empty"),
    (lambda: db.Link("nourl"), db.BadValueError, "Invalid URL"),
    (lambda: db.Category(None), db.BadValueError, "should be a string"),
    (lambda: db.PhoneNumber(b""), db.BadValueError, "must not be empty"),
    (lambda: db.Rating(101), db.BadValueError, "between 0 and 100"),
    (lambda: db.Rating(1.0), db.BadValueError, "Expected int or long"),
    (lambda: db.GeoPt("x"), db.BadValueError, "lat,long"),
    (lambda: db.GeoPt(0, "y"), db.BadValueError, "Expected floats"),
    (lambda: db.IM("bogus", "a"), db.BadValueError, "Invalid URL"),
    (lambda: db.Text(5), TypeError, "should be str"),
    (lambda: db.Text("s", encoding="utf-8"), TypeError, "should not specify an encoding"),
    (lambda: db.Blob("str"), TypeError, "should be bytes"),
    (lambda: db.ByteString("str"), TypeError, "should be bytes"),
], ids=["email", "link", "category", "phone", "rating", "rating-float", "geopt", "geopt-lon", "im", "text",
        "text-encoding", "blob", "bytestring"])
def test_value_types_validate_like_legacy(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_value_types_coerce_like_legacy():
    assert db.GeoPt("1.5, -2") == db.GeoPt(1.5, -2.0)
    assert str(db.GeoPt(1.5, -2)) == "1.5,-2.0"
    assert db.IM("xmpp a@b c") == db.IM("xmpp", "a@b c")
    assert str(db.IM("xmpp", "a@b")) == "xmpp a@b"
    assert db.Rating("42") == 42
    assert db.Text(b"abc") == "abc"
    assert db.Text("é".encode("utf-8"), encoding="utf-8") == "é"


@pytest.mark.parametrize("item_type", [dict, set, tuple, list, type(None), users.User.__class__])
def test_list_property_refuses_unsupported_item_types(item_type):
    with pytest.raises((ValueError, TypeError)):
        db.ListProperty(item_type)


def test_a_bad_value_assigned_before_put_writes_nothing_and_sends_nothing(raw, counted):
    model = type("NothingWritten", (db.Model,), {"n": db.IntegerProperty(), "tags": db.StringListProperty()})
    good = model(key_name="good", n=1)
    bad = model(key_name="bad", tags=["ok"])
    bad.tags.append(5)  # bypasses assignment validation; put() validates list contents again

    with pytest.raises(db.BadValueError, match="must all be str instances"):
        db.put([good, bad])

    assert counted.calls["Commit"] == 0
    assert raw.count("NothingWritten") == 0
    assert not good.is_saved()


def test_multibyte_overflow_is_refused_by_the_datastore_and_nothing_of_the_batch_is_written(raw):
    model = type("Overflow", (db.Model,), {"s": db.StringProperty()})
    with pytest.raises(db.BadRequestError, match="longer than 1500 bytes"):
        db.put([model(key_name="fine", s="ok"), model(key_name="long", s="日本" * 400)])
    assert raw.count("Overflow") == 0
