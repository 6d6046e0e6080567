"""Round trips: what compat reads it writes back exactly, and what it does not declare it keeps.

Legacy ``db`` kept every stored property of a loaded entity, declared or not,
and wrote the undeclared ones back untouched. These tests write entities with
the raw google-cloud-datastore client, load and put them through compat, and
compare the stored protobufs byte for byte.
"""

import datetime

import pytest
from google.cloud.datastore import Entity
from google.cloud.datastore_v1.types import entity as entity_pb2

from compat import db, users


class Narrow(db.Model):
    """Declares one of the stored properties; the rest are unknown to it."""

    title = db.StringProperty()


class Everything(db.Model):
    s = db.StringProperty()
    su = db.StringProperty(indexed=False)
    t = db.TextProperty()
    bs = db.ByteStringProperty()
    bsu = db.ByteStringProperty(indexed=False)
    b = db.BlobProperty()
    i = db.IntegerProperty()
    f = db.FloatProperty()
    bo = db.BooleanProperty()
    dt = db.DateTimeProperty()
    d = db.DateProperty()
    tm = db.TimeProperty()
    e = db.EmailProperty()
    ln = db.LinkProperty()
    c = db.CategoryProperty()
    p = db.PhoneNumberProperty()
    pa = db.PostalAddressProperty()
    r = db.RatingProperty()
    im = db.IMProperty()
    g = db.GeoPtProperty()
    u = db.UserProperty()
    ref = db.SelfReferenceProperty(collection_name="everything_refs")
    tags = db.StringListProperty()
    texts = db.ListProperty(db.Text)
    days = db.ListProperty(datetime.date)
    unindexed = db.ListProperty(int, indexed=False)
    nothing = db.StringListProperty(write_empty_list=True)
    missing = db.IntegerProperty()


def _everything(**overrides):
    values = dict(
        key_name="all", s="s", su="su", t="t" * 2000, bs=b"bs", bsu=b"bsu", b=b"\x00" * 10, i=-5, f=0.25,
        bo=False, dt=datetime.datetime(1999, 12, 31, 23, 59, 59, 999999), d=datetime.date(1900, 1, 1),
        tm=datetime.time(0, 0, 0, 1), e="e@x.y", ln="https://x.y/z", c="cat", p="555", pa="addr", r=100,
        im="sip a@b", g="-90,180", u=users.User("u@x.y", _user_id="9"), tags=["a", "b"],
        texts=[db.Text("x")], days=[datetime.date(2000, 2, 29)], unindexed=[1, 2], nothing=[],
    )
    values.update(overrides)
    return Everything(**values)


def test_load_and_put_of_every_property_type_writes_the_same_bytes(raw):
    instance = _everything()
    key = instance.put()
    instance.ref = key  # a reference to itself
    instance.put()
    first = raw.pb(key)

    Everything.get(key).put()

    assert raw.pb(key).properties == first.properties
    assert "missing" in first.properties and first.properties["missing"].WhichOneof("value_type") == "null_value"


def test_an_instance_can_be_put_again_after_put_and_after_load(raw):
    """Regression: the second put of an entity with Text/Blob values failed with TypeError
    (exclude_from_indexes copied as a set)."""
    instance = _everything()
    key = instance.put()
    instance.s = "second"
    instance.put()
    loaded = Everything.get(key)
    loaded.s = "third"
    loaded.put()

    stored = raw.stored(key)
    assert stored["s"] == ("string", "third", None, False)
    assert stored["t"] == ("string", "t" * 2000, 15, True)


def _legacy_shaped_pb(key):
    """An entity with values as legacy (or other writers) left them, with meanings and flags."""
    entity = entity_pb2.Entity()._pb
    entity.key.CopyFrom(key.to_protobuf()._pb)
    props = entity.properties
    props["title"].string_value = "declared"
    props["body"].string_value = "text " * 400
    props["body"].meaning = 15
    props["body"].exclude_from_indexes = True
    props["mail"].string_value = "m@x.y"
    props["mail"].meaning = 8
    props["mail"].exclude_from_indexes = True
    props["stars"].integer_value = 42
    props["stars"].meaning = 13
    props["packed"].blob_value = b"x\x9c+I-.\x01\x00\x04]\x01\xc1"
    props["packed"].meaning = 22
    props["packed"].exclude_from_indexes = True
    props["short"].blob_value = b"\x01\x02"
    props["blobby"].blob_value = b"\x03"
    props["blobby"].exclude_from_indexes = True
    props["when"].timestamp_value.seconds = -86400
    props["when"].exclude_from_indexes = True
    props["empty"].array_value.SetInParent()
    for meaning, text in ((8, "a@b.c"), (1, "cat")):
        element = props["mixed_meanings"].array_value.values.add()
        element.string_value = text
        element.meaning = meaning
    for value in (1, 2):
        element = props["unindexed_list"].array_value.values.add()
        element.integer_value = value
        element.exclude_from_indexes = True
    props["who"].meaning = 20
    props["who"].entity_value.properties["email"].string_value = "w@x.y"
    props["who"].entity_value.properties["email"].exclude_from_indexes = True
    props["who"].entity_value.properties["auth_domain"].string_value = "gmail.com"
    props["who"].entity_value.properties["auth_domain"].exclude_from_indexes = True
    props["embedded"].entity_value.properties["inner"].integer_value = 1
    props["embedded"].exclude_from_indexes = True
    props["where"].geo_point_value.latitude = 10.5
    props["ref"].key_value.CopyFrom(key.to_protobuf()._pb)
    props["nothing"].null_value = 0
    props["nothing_excluded"].null_value = 0
    props["nothing_excluded"].exclude_from_indexes = True
    props["beyond_9999"].integer_value = 2 ** 62
    props["beyond_9999"].meaning = 7
    return entity


def test_undeclared_stored_properties_survive_load_and_put_byte_for_byte(raw):
    key = raw.client.key("Narrow", "legacy")
    raw.put_pb(_legacy_shaped_pb(key))
    before = raw.pb(key)

    instance = Narrow.get_by_key_name("legacy")
    assert instance.title == "declared"
    assert not hasattr(instance, "body")
    instance.title = "updated"
    instance.put()

    after = raw.pb(key)
    assert sorted(after.properties) == sorted(before.properties)
    changed = [name for name in before.properties
               if name != "title" and after.properties[name] != before.properties[name]]
    assert changed == []
    assert after.properties["title"].string_value == "updated"


def test_db_get_and_put_of_a_model_list_keeps_undeclared_properties(raw):
    keys = [raw.client.key("Narrow", name) for name in ("one", "two")]
    for key in keys:
        raw.put_pb(_legacy_shaped_pb(key))
    before = [raw.pb(key) for key in keys]

    db.put(db.get([db.Key.from_path("Narrow", "one"), db.Key.from_path("Narrow", "two")]))

    assert [raw.pb(key) for key in keys] == before


class Renamed(db.Model):
    python_name = db.StringProperty(name="storedName")
    count = db.IntegerProperty(name="n", default=3)


def test_name_option_stores_under_the_given_name_only(raw):
    instance = Renamed(storedName="v")
    assert instance.python_name == "v"
    key = instance.put()

    assert raw.stored(key) == {"storedName": ("string", "v", None, False), "n": ("integer", 3, None, False)}
    loaded = Renamed.get(key)
    assert (loaded.python_name, loaded.count) == ("v", 3)
    assert db.to_dict(loaded) == {"storedName": "v", "n": 3}
    assert Renamed.properties()["python_name"].name == "storedName"


def test_name_option_constructor_keywords_use_the_stored_name():
    """As legacy: the attribute name is not a constructor keyword (strict mode warns)."""
    from compat import CompatWarning, configure

    configure(strict=True)
    with pytest.warns(CompatWarning, match="python_name"):
        Renamed(python_name="v")


def test_name_option_attribute_keyword_is_silently_ignored_as_in_legacy(raw):
    instance = Renamed(python_name="lost")
    assert instance.python_name is None
    key = instance.put()
    assert raw.stored(key)["storedName"] == ("null", None, None, False)


def test_two_properties_with_the_same_stored_name_are_accepted_as_in_legacy_and_warned_in_strict_mode():
    from compat import CompatWarning, configure

    type("Clash", (db.Model,), {"a": db.StringProperty(name="x"), "b": db.IntegerProperty(name="x")},
         map_kind=False)
    configure(strict=True)
    with pytest.warns(CompatWarning, match="both stored as 'x'"):
        type("Clash2", (db.Model,), {"a": db.StringProperty(name="x"), "b": db.IntegerProperty(name="x")},
             map_kind=False)


def test_a_stored_value_of_an_unexpected_type_loads_as_stored(raw):
    """Legacy assigned loaded values without converting them: a string where an IntegerProperty
    is declared surfaces as a validation error on load, not silent corruption."""
    entity = Entity(key=raw.client.key("Renamed", "bad"))
    entity["n"] = "not a number"
    raw.put(entity)

    with pytest.raises(db.BadValueError, match="n must be an int"):
        Renamed.get_by_key_name("bad")
