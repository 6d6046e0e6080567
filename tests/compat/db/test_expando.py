"""``db.Expando``: dynamic properties stored as legacy stored them, and written back unchanged.

Expected stored forms were checked against the legacy SDK (``db.model_to_protobuf``
and its v3 -> v1 converter); where compat deliberately differs (dynamic ``bytes``)
the test says so and docs/storage.md documents it.
"""

import datetime

import pytest
from google.cloud.datastore import Entity
from google.cloud.datastore_v1.types import entity as entity_pb2

from compat import db, users


class Bag(db.Expando):
    label = db.StringProperty()
    renamed = db.IntegerProperty(name="stored_count")


# (id, value, expected Stored tuple, expected loaded value and type)
DYNAMIC = [
    ("str", "text", ("string", "text", None, False), str),
    ("empty-str", "", ("string", "", None, False), str),
    ("int", 7, ("integer", 7, None, False), int),
    ("bool", False, ("boolean", False, None, False), bool),
    ("float", 0.5, ("double", 0.5, None, False), float),
    ("none", None, ("null", None, None, False), type(None)),
    ("text", db.Text("long"), ("string", "long", 15, True), db.Text),
    ("blob", db.Blob(b"\xff\x00"), ("blob", b"\xff\x00", None, True), db.Blob),
    ("bytestring", db.ByteString(b"q"), ("blob", b"q", None, False), db.ByteString),
    ("datetime", datetime.datetime(2012, 12, 21, 11, 11, 11, 1), ("timestamp",
     datetime.datetime(2012, 12, 21, 11, 11, 11, 1), None, False), datetime.datetime),
    ("email", db.Email("a@b.c"), ("string", "a@b.c", 8, False), db.Email),
    ("link", db.Link("http://a.b/"), ("string", "http://a.b/", 2, False), db.Link),
    ("category", db.Category("c"), ("string", "c", 1, False), db.Category),
    ("phone", db.PhoneNumber("1"), ("string", "1", 11, False), db.PhoneNumber),
    ("postal", db.PostalAddress("a"), ("string", "a", 12, False), db.PostalAddress),
    ("rating", db.Rating(5), ("integer", 5, 13, False), db.Rating),
    ("im", db.IM("sip", "x@y"), ("string", "sip x@y", 10, False), db.IM),
    ("geopt", db.GeoPt(-33.9, 151.2), ("geo_point", (-33.9, 151.2), None, False), db.GeoPt),
    ("key", lambda: db.Key.from_path("Other", 9), ("key", ("Other", 9), None, False), db.Key),
    ("empty-list", [], ("array", [], None, False), list),
    ("list", [1, 2], ("array", [("integer", 1, None, False), ("integer", 2, None, False)], None, False), list),
    ("list-meanings", [db.Email("a@b.c"), db.Category("c")],
     ("array", [("string", "a@b.c", 8, False), ("string", "c", 1, False)], None, False), list),
]


@pytest.mark.parametrize("value, expected, loaded_type", [c[1:] for c in DYNAMIC], ids=[c[0] for c in DYNAMIC])
def test_dynamic_value_is_stored_by_its_python_type(raw, value, expected, loaded_type):
    if callable(value):
        value = value()
    bag = Bag(key_name="b")
    bag.dyn = value
    key = bag.put()

    stored = raw.stored(key)
    assert stored["dyn"] == expected
    loaded = Bag.get(key)
    assert loaded.dynamic_properties() == ["dyn"]
    assert loaded.dyn == value
    assert isinstance(loaded.dyn, loaded_type)


def test_dynamic_user_is_an_embedded_entity_with_meaning_20(raw):
    bag = Bag(key_name="u", who=users.User("dan@example.com", _user_id="5"))
    key = bag.put()

    assert raw.stored(key)["who"] == ("entity", {
        "email": ("string", "dan@example.com", None, True),
        "auth_domain": ("string", "gmail.com", None, True),
        "user_id": ("string", "5", None, True),
    }, 20, False)
    assert Bag.get(key).who == users.User("dan@example.com")


def test_dynamic_bytes_are_stored_as_an_indexed_string_as_in_legacy(raw):
    """The legacy SDK packed plain bytes as an indexed (ASCII) string; non-ASCII bytes failed at put."""
    key = Bag(key_name="b", data=b"binary").put()

    assert raw.stored(key)["data"] == ("string", "binary", None, False)
    assert Bag.get(key).data == "binary"
    with pytest.raises(UnicodeDecodeError) as raised:
        Bag(key_name="c", data=b"\xffbinary").put()
    assert isinstance(raised.value, db.BadValueError)
    assert raw.count("Bag") == 1
    key = Bag(key_name="blob", data=db.Blob(b"\xffbinary")).put()  # binary data: db.Blob, as in legacy
    assert raw.stored(key)["data"] == ("blob", b"\xffbinary", None, True)


def test_a_dynamic_date_or_time_fails_at_put_as_in_legacy_and_nothing_is_written(raw):
    """Legacy accepted the assignment, then refused the value at put (BadValueError)."""
    for value in (datetime.date(2020, 1, 1), datetime.time(1, 2), [datetime.date(2020, 1, 1)]):
        bag = Bag(key_name="d")
        bag.when = value
        with pytest.raises(db.BadValueError, match="Unsupported type for property when"):
            bag.put()
    assert raw.count("Bag") == 0


def test_a_nested_list_fails_at_put(datastore_emulator):
    bag = Bag(key_name="n", nested=[[1]])
    with pytest.raises(db.BadValueError, match="nested"):
        db.model_to_protobuf(bag)


def test_unsupported_types_are_refused_on_assignment_with_type_error():
    bag = Bag()
    for value in ({"a": 1}, {1}, object(), 1j):
        with pytest.raises(TypeError, match="Expando cannot accept values of type"):
            bag.dyn = value
    assert bag.dynamic_properties() == []


def test_constructor_keywords_that_name_no_property_become_dynamic(raw):
    bag = Bag(label="l", stored_count=3, extra="e", more=[1])

    assert sorted(bag.dynamic_properties()) == ["extra", "more"]
    assert (bag.label, bag.renamed, bag.extra) == ("l", 3, "e")
    key = bag.put()
    assert set(raw.stored(key)) == {"label", "stored_count", "extra", "more"}


def test_underscore_attributes_are_not_dynamic(raw):
    bag = Bag(key_name="u")
    bag._private = "not stored"
    key = bag.put()
    assert bag.dynamic_properties() == []
    assert "_private" not in raw.stored(key)


def test_reserved_words_are_refused():
    bag = Bag()
    with pytest.raises(db.ReservedWordError):
        bag.key_name = "x"
    with pytest.raises(db.ReservedWordError):
        Bag(key_name="k", put="shadowing a Model method")


def test_deleting_a_dynamic_property_removes_it_from_storage(raw):
    bag = Bag(key_name="del", a=1, b=2)
    key = bag.put()
    loaded = Bag.get(key)
    del loaded.a
    loaded.put()

    assert set(raw.stored(key)) == {"b", "label", "stored_count"}
    assert Bag.get(key).dynamic_properties() == ["b"]
    with pytest.raises(AttributeError):
        loaded.a


def test_declared_properties_are_not_dynamic_and_keep_their_validation():
    bag = Bag()
    bag.label = "ok"
    assert bag.dynamic_properties() == []
    with pytest.raises(db.BadValueError):
        bag.label = 5


def test_undeclared_stored_values_load_as_dynamic_and_are_written_back_byte_for_byte(raw):
    """Values legacy (or any other writer) stored, with meanings and flags compat would not choose
    itself, survive a load and put of the Expando unchanged."""
    key = raw.client.key("Bag", "odd")
    odd = entity_pb2.Entity()
    odd.key._pb.CopyFrom(key.to_protobuf()._pb)
    props = odd._pb.properties
    props["text_meaning_1"].string_value = "category written by another tool"
    props["text_meaning_1"].meaning = 1
    props["text_meaning_1"].exclude_from_indexes = True
    props["excluded_str"].string_value = "plain but excluded"
    props["excluded_str"].exclude_from_indexes = True
    props["zlib"].blob_value = b"x\x9c\xcbH\xcd\xc9\xc9\x07\x00\x06,\x02\x15"
    props["zlib"].meaning = 22
    props["zlib"].exclude_from_indexes = True
    props["bytestring16"].blob_value = b"\x01"
    props["bytestring16"].meaning = 16
    props["bytestring16"].exclude_from_indexes = True
    props["point23"].geo_point_value.latitude = 1.0
    props["point23"].meaning = 23
    props["int_meaning"].integer_value = 2 ** 62  # a legacy datetime beyond year 9999
    props["int_meaning"].meaning = 7
    props["nested"].entity_value.properties["inner"].string_value = "v"
    props["null_excluded"].null_value = 0
    props["null_excluded"].exclude_from_indexes = True
    # What a declared EmailProperty / DateTimeProperty / ListProperty(str) with indexed=False left
    # behind after the declaration was removed from the (now Expando) model:
    props["excluded_email"].string_value = "a@b.c"
    props["excluded_email"].meaning = 8
    props["excluded_email"].exclude_from_indexes = True
    props["excluded_when"].timestamp_value.seconds = 1234567890
    props["excluded_when"].exclude_from_indexes = True
    for item in ("x", "y"):
        element = props["excluded_list"].array_value.values.add()
        element.string_value = item
        element.exclude_from_indexes = True
    props["label"].string_value = "declared"
    raw.put_pb(odd._pb)
    before = raw.pb(key)

    loaded = Bag.get_by_key_name("odd")
    assert loaded.label == "declared"
    loaded.label = "changed"
    loaded.put()

    after = raw.pb(key)
    changed = [name for name, value in before.properties.items()
               if name != "label" and after.properties[name] != value]
    assert changed == []
    assert set(after.properties) == set(before.properties) | {"stored_count"}
    assert after.properties["label"].string_value == "changed"


def test_an_unchanged_expando_round_trip_is_idempotent(raw):
    bag = Bag(key_name="idem", label="x", stored_count=1, t=db.Text("t"), b=db.Blob(b"\x00"),
              l=[db.Email("a@b.c")], e=[], u=users.User("e@f.g"), n=None, g=db.GeoPt(1, 2), r=db.Rating(3))
    key = bag.put()
    first = raw.pb(key)

    Bag.get(key).put()

    assert raw.pb(key).properties == first.properties


def test_changing_a_dynamic_value_re_encodes_it_by_its_new_type(raw):
    entity = Entity(key=raw.client.key("Bag", "change"), exclude_from_indexes=("v",))
    entity["v"] = "was excluded"
    raw.put(entity)

    loaded = Bag.get_by_key_name("change")
    loaded.v = "now a plain str"
    loaded.put()

    assert raw.stored(loaded.key())["v"] == ("string", "now a plain str", None, False)


def test_tuple_values_are_refused_at_put_as_in_legacy(raw):
    """Legacy accepted a tuple on assignment and refused it at put ("May not use tuple property value")."""
    bag = Bag(key_name="t", tup=(1, 2))
    with pytest.raises(db.BadValueError, match="May not use tuple property value"):
        db.put([Bag(key_name="fine", n=1), bag])
    assert raw.count("Bag") == 0  # nothing of the batch was written


def test_reserved_dynamic_names_are_refused_as_in_legacy():
    bag = Bag()
    for name in ("__x__", "key_name", "put"):
        with pytest.raises(db.ReservedWordError):
            setattr(bag, name, 1)
    with pytest.raises(db.ReservedWordError):
        Bag(__x__=1)


def test_a_loaded_list_mutated_in_place_is_written_with_the_change(raw):
    key = Bag(key_name="m", tags=["a"]).put()
    loaded = Bag.get(key)
    loaded.tags.append("b")
    loaded.put()

    assert raw.stored(key)["tags"] == ("array", [("string", "a", None, False), ("string", "b", None, False)],
                                       None, False)
