"""List properties are stored as legacy ``db`` stored them.

An array of each item type's stored form; the array itself is never excluded
and never has a meaning; ``indexed=False`` (and Text/Blob items) exclude each
element; an empty typed list is not written at all unless
``write_empty_list=True``. Expected rows checked against the legacy SDK's
``db.model_to_protobuf`` and its v3 -> v1 converter.
"""

import datetime

import pytest

from compat import db, users

USER = users.User("carol@example.com", _user_id="77")


def _model(prop):
    return type("ListCase", (db.Model,), {"p": prop})


def _key_list():
    return [db.Key.from_path("Other", 1), db.Key.from_path("Other", "x", "Child", 2)]


# (id, property factory, value, expected elements as (type, value, meaning, excluded), loaded value)
CASES = [
    ("strings", db.StringListProperty, ["a", "b"],
     [("string", "a", None, False), ("string", "b", None, False)], ["a", "b"]),
    ("str-unindexed", lambda: db.ListProperty(str, indexed=False), ["x", "y"],
     [("string", "x", None, True), ("string", "y", None, True)], ["x", "y"]),
    ("ints-with-bool", lambda: db.ListProperty(int), [True, 2],
     [("boolean", True, None, False), ("integer", 2, None, False)], [True, 2]),
    ("floats", lambda: db.ListProperty(float), [1.5, -0.0],
     [("double", 1.5, None, False), ("double", -0.0, None, False)], [1.5, -0.0]),
    ("bools", lambda: db.ListProperty(bool), [False, True],
     [("boolean", False, None, False), ("boolean", True, None, False)], [False, True]),
    ("keys", lambda: db.ListProperty(db.Key), _key_list,
     [("key", ("Other", 1), None, False), ("key", ("Other", "x", "Child", 2), None, False)], _key_list),
    ("datetimes", lambda: db.ListProperty(datetime.datetime), [datetime.datetime(2001, 2, 3, 4, 5, 6, 7)],
     [("timestamp", datetime.datetime(2001, 2, 3, 4, 5, 6, 7), None, False)],
     [datetime.datetime(2001, 2, 3, 4, 5, 6, 7)]),
    ("dates", lambda: db.ListProperty(datetime.date), [datetime.date(2020, 1, 1), datetime.date(1969, 12, 31)],
     [("timestamp", datetime.datetime(2020, 1, 1), None, False),
      ("timestamp", datetime.datetime(1969, 12, 31), None, False)],
     [datetime.date(2020, 1, 1), datetime.date(1969, 12, 31)]),
    ("times", lambda: db.ListProperty(datetime.time), [datetime.time(23, 59, 59, 999999)],
     [("timestamp", datetime.datetime(1970, 1, 1, 23, 59, 59, 999999), None, False)],
     [datetime.time(23, 59, 59, 999999)]),
    ("texts", lambda: db.ListProperty(db.Text), [db.Text("t1"), db.Text("t2")],
     [("string", "t1", 15, True), ("string", "t2", 15, True)], ["t1", "t2"]),
    ("blobs", lambda: db.ListProperty(db.Blob), [db.Blob(b"\x00")],
     [("blob", b"\x00", None, True)], [b"\x00"]),
    ("bytestrings", lambda: db.ListProperty(db.ByteString), [db.ByteString(b"q")],
     [("blob", b"q", None, False)], [b"q"]),
    ("bytestrings-unindexed", lambda: db.ListProperty(db.ByteString, indexed=False), [db.ByteString(b"q")],
     [("blob", b"q", 16, True)], [b"q"]),
    ("emails", lambda: db.ListProperty(db.Email), [db.Email("a@b.c")], [("string", "a@b.c", 8, False)], ["a@b.c"]),
    ("links", lambda: db.ListProperty(db.Link), [db.Link("http://a.b/")],
     [("string", "http://a.b/", 2, False)], ["http://a.b/"]),
    ("categories", lambda: db.ListProperty(db.Category), [db.Category("c")], [("string", "c", 1, False)], ["c"]),
    ("phones", lambda: db.ListProperty(db.PhoneNumber), [db.PhoneNumber("1")], [("string", "1", 11, False)], ["1"]),
    ("postal", lambda: db.ListProperty(db.PostalAddress), [db.PostalAddress("a")],
     [("string", "a", 12, False)], ["a"]),
    ("ratings", lambda: db.ListProperty(db.Rating), [db.Rating(1), db.Rating(100)],
     [("integer", 1, 13, False), ("integer", 100, 13, False)], [1, 100]),
    ("ims", lambda: db.ListProperty(db.IM), [db.IM("xmpp", "a@b")], [("string", "xmpp a@b", 10, False)],
     [db.IM("xmpp", "a@b")]),
    ("geopts", lambda: db.ListProperty(db.GeoPt), [db.GeoPt(1, 2)], [("geo_point", (1.0, 2.0), None, False)],
     [db.GeoPt(1, 2)]),
    ("users", lambda: db.ListProperty(users.User), [USER],
     [("entity", {"email": ("string", "carol@example.com", None, True),
                  "auth_domain": ("string", "gmail.com", None, True),
                  "user_id": ("string", "77", None, True)}, 20, False)], [USER]),
]


def _call(value):
    return value() if callable(value) else value


@pytest.mark.parametrize("factory, value, elements, loaded", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_list_is_an_array_of_the_item_types_stored_form(raw, factory, value, elements, loaded):
    model = _model(factory())
    key = model(p=_call(value)).put()

    assert raw.stored(key) == {"p": ("array", elements, None, False)}

    reloaded = model.get(key).p
    assert reloaded == _call(loaded)
    item_type = model.p.item_type
    assert all(isinstance(item, item_type) for item in reloaded)


@pytest.mark.parametrize("factory", [
    db.StringListProperty, lambda: db.ListProperty(int), lambda: db.ListProperty(db.Text),
    lambda: db.ListProperty(str, indexed=False),
], ids=["strings", "ints", "texts", "str-unindexed"])
def test_an_empty_typed_list_is_not_written_at_all(raw, factory):
    model = _model(factory())
    explicit = model(p=[]).put()
    defaulted = model().put()

    assert raw.stored(explicit) == {}
    assert raw.stored(defaulted) == {}
    assert model.get(explicit).p == []


def test_emptying_a_stored_list_removes_the_property(raw):
    model = _model(db.StringListProperty())
    instance = model(p=["a"])
    key = instance.put()
    instance.p = []
    instance.put()

    assert raw.stored(key) == {}


def test_write_empty_list_stores_an_empty_array(raw):
    model = _model(db.ListProperty(int, write_empty_list=True))
    key = model(p=[]).put()

    assert raw.stored(key) == {"p": ("array", [], None, False)}
    assert model.get(key).p == []


def test_list_of_texts_refuses_indexed_true():
    with pytest.raises(db.ConfigurationError):
        db.ListProperty(db.Text, indexed=True)


def test_list_required_may_only_be_true():
    with pytest.raises(db.ConfigurationError):
        db.ListProperty(int, required=False)


def test_list_none_is_refused_as_required():
    model = _model(db.StringListProperty())
    with pytest.raises(db.BadValueError, match="p is required"):
        model(p=None)


def test_list_default_is_copied_per_instance():
    model = _model(db.ListProperty(int, default=[1]))
    first, second = model(), model()
    first.p.append(2)
    assert second.p == [1]
    assert model.p.default == [1]


def test_a_stored_scalar_loads_into_a_list_property_as_a_one_item_list(raw):
    """Legacy ``_load`` wrapped a single value (e.g. a property later turned into a list)."""
    from google.cloud.datastore import Entity

    entity = Entity(key=raw.client.key("ListCase", "scalar"))
    entity["p"] = "only"
    raw.put(entity)
    model = _model(db.StringListProperty())

    assert model.get_by_key_name("scalar").p == ["only"]


def test_bytes_items_are_stored_as_indexed_strings_as_in_legacy(datastore_emulator):
    """The legacy SDK packed ``bytes`` items as *indexed strings* and refused non-ASCII bytes at put."""
    model = _model(db.ListProperty(bytes))
    sent = db.model_to_protobuf(model(p=[b"ab", "cd"]))
    values = sent.properties["p"].array_value.values
    assert [(v.string_value, v.exclude_from_indexes) for v in values] == [("ab", False), ("cd", False)]
    for items in ([b"\xff"], ["é"]):
        with pytest.raises(UnicodeDecodeError):
            db.model_to_protobuf(model(p=items))


def test_a_list_mixing_text_and_strings_is_stored_as_legacy_did(raw):
    """Legacy excluded only the Text items of a list; compat writes (and reads back) the same per-item flags,
    which google-cloud-datastore alone can neither write nor read (see test_mixed_lists.py)."""
    model = _model(db.StringListProperty())
    key = model(p=["short", db.Text("long text")]).put()

    assert raw.stored(key)["p"] == ("array", [("string", "short", None, False), ("string", "long text", 15, True)],
                                    None, False)
    assert model.get(key).p == ["short", "long text"]