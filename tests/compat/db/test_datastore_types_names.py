"""``compat.datastore_types`` offers the names of legacy ``datastore_types`` that apps use.

``db2ndb --to compat`` rewrites ``from google.appengine.api import
datastore_types`` to ``from compat import datastore_types``, and
``compat.install()`` maps the module the same way, so code calling
``datastore_types.Key(...)`` or ``datastore_types.ValidateString(...)`` must
find them there. The expected messages are what the legacy SDK
(appengine-python-standard, ``google.appengine.api.datastore_types``) printed
for the same calls.
"""

import datetime

import pytest

from compat import db
from compat import datastore_types


def test_key_is_db_key_and_decodes_a_legacy_string(datastore_emulator):
    assert datastore_types.Key is db.Key
    key = db.Key.from_path("Note", "n1")
    assert datastore_types.Key(str(key)) == key


@pytest.mark.parametrize("value, options, message", [
    (0, {}, "n must not be 0 (zero)"),
    (-1, {"zero_ok": True}, "n must not be negative."),
    ("1", {}, "n should be an integer; received 1 (a str)."),
    (None, {}, "n should be an integer; received None (a NoneType)."),
])
def test_validate_integer_refuses_like_legacy(value, options, message):
    with pytest.raises(db.BadValueError) as raised:
        datastore_types.ValidateInteger(value, "n", **options)
    assert str(raised.value) == message


@pytest.mark.parametrize("value, options", [(None, {"empty_ok": True}), (True, {}), (5, {}), (0, {"zero_ok": True})])
def test_validate_integer_accepts_like_legacy(value, options):
    assert datastore_types.ValidateInteger(value, "n", **options) is None


def test_validate_string_takes_the_legacy_arguments():
    datastore_types.ValidateString("x" * 10, "text", max_len=10)
    with pytest.raises(ValueError) as raised:
        datastore_types.ValidateString("x" * 11, "text", exception=ValueError, max_len=10)
    assert str(raised.value) == "text must be under 10 bytes."
    with pytest.raises(db.BadValueError, match="kind must not be empty."):
        datastore_types.ValidateString("", "kind")
    datastore_types.ValidateString("", "kind", empty_ok=True)


def test_utc_and_the_key_property_name():
    assert repr(datastore_types.UTC) == "datastore_types.UTC"
    assert datastore_types.UTC.tzname(None) == "UTC"
    assert datastore_types.UTC.utcoffset(datetime.datetime(2020, 1, 1)) == datetime.timedelta(0)
    assert datastore_types.KEY_SPECIAL_PROPERTY == "__key__"


def test_unknown_names_still_raise_attribute_error():
    with pytest.raises(AttributeError):
        datastore_types.NoSuchThing
