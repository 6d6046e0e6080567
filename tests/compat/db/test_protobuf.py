"""compat's own protobuf codec gives exactly what google-cloud-datastore's helpers give.

``compat.db._protobuf`` encodes and decodes raw protobufs without proto-plus
(the helpers' cost per entity was most of a get or a put). Every value type,
meanings, index flags, lists, nested entities, keys with namespaces and
parents are compared byte for byte with ``helpers.entity_to_protobuf`` and
value for value with ``helpers.entity_from_protobuf``. No datastore needed.
"""

import datetime

import pytest
from google.cloud.datastore import helpers
from google.cloud.datastore.entity import Entity
from google.cloud.datastore.helpers import GeoPoint
from google.cloud.datastore.key import Key
from google.cloud.datastore_v1.types import entity as entity_pb2
from proto.datetime_helpers import DatetimeWithNanoseconds

from compat import db
from compat.db import _mapper, _protobuf, _rpc

UTC = datetime.timezone.utc
KEY = Key("Parent", "p", "Child", 12, project="proj", namespace="ns")


def _nested():
    inner = Entity(exclude_from_indexes=("note",))
    inner.update({"email": "a@example.com", "note": "x", "n": 3})
    return inner


VALUES = [
    ("text", "hello"), ("empty", ""), ("unicode", "日本語"), ("int", 7), ("negative", -2 ** 63), ("big", 2 ** 63 - 1),
    ("bool", True), ("false", False), ("float", 1.5), ("nan_free", -0.0), ("none", None), ("bytes", b"\x00\xff"),
    ("naive", datetime.datetime(2020, 1, 2, 3, 4, 5, 678901)),
    ("aware", datetime.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))),
    ("before_epoch", datetime.datetime(1901, 12, 13, 20, 45, 52, 1)),
    ("nanos", DatetimeWithNanoseconds(2020, 1, 2, 3, 4, 5, nanosecond=123456789, tzinfo=UTC)),
    ("key", KEY), ("partial", Key("Kind", project="proj")), ("geo", GeoPoint(35.5, 139.25)),
    ("entity", _nested()), ("dict", {"a": 1, "b": "two"}),
    ("list", [1, "two", 3.0, None, b"four"]), ("empty_list", []), ("keys", [KEY, Key("Other", "o", project="proj")]),
]


@pytest.mark.parametrize("name, value", VALUES, ids=[name for name, _ in VALUES])
@pytest.mark.parametrize("excluded", [False, True])
def test_values_encode_like_the_helpers(name, value, excluded):
    entity = Entity(key=KEY, exclude_from_indexes=(name,) if excluded else ())
    entity[name] = value
    assert _protobuf.entity_to_pb(entity) == helpers.entity_to_protobuf(entity)._pb


def test_meanings_are_written_only_for_unchanged_values_like_the_helpers():
    entity = Entity(key=KEY)
    entity.update({"text": "long", "rating": 5, "tags": ["a", "b"], "mixed": ["a", "b"], "changed": "new"})
    entity._meanings.update({
        "text": (15, entity["text"]),
        "rating": (13, entity["rating"]),
        "tags": (2, entity["tags"]),  # older helpers: one meaning for every item
        "mixed": ((None, [1, None]), entity["mixed"]),  # (root, items)
        "changed": (15, "old"),  # not the value read: no meaning
    })
    assert _protobuf.entity_to_pb(entity) == helpers.entity_to_protobuf(entity)._pb


def test_keys_encode_like_the_helpers():
    for key in (KEY, Key("A", 1, project="p"), Key("A", "n", "B", project="p"), Key("A", 5, project="p", namespace="")):
        assert _protobuf.key_to_pb(key) == key.to_protobuf()._pb
        assert _same_key(_protobuf.key_from_pb(key.to_protobuf()._pb), helpers.key_from_protobuf(key.to_protobuf()))


def _same_key(mine, theirs):
    """Key equality that also holds for partial keys (``Key.__eq__`` says False for any partial key)."""
    return (mine.flat_path, mine.project, mine.namespace, mine.database) == (
        theirs.flat_path, theirs.project, theirs.namespace, theirs.database)


@pytest.mark.parametrize("excluded", [False, True])
def test_decoding_gives_what_the_helpers_give(excluded):
    entity = Entity(key=KEY, exclude_from_indexes=[name for name, _ in VALUES] if excluded else ())
    for name, value in VALUES:
        entity[name] = value
    entity._meanings.update({"text": (15, entity["text"]), "list": ((None, [None, 1]), entity["list"])})
    entity_pb = helpers.entity_to_protobuf(entity)
    mine, theirs = _protobuf.entity_from_pb(entity_pb._pb), helpers.entity_from_protobuf(entity_pb)
    assert mine.key == theirs.key
    assert _same_key(mine["partial"], theirs["partial"])
    mine["partial"] = theirs["partial"]
    assert dict(mine) == dict(theirs)
    assert {name: type(value) for name, value in mine.items()} == {
        name: (datetime.datetime if type(value) is DatetimeWithNanoseconds and not value.nanosecond % 1000
               else type(value)) for name, value in theirs.items()}
    assert mine.exclude_from_indexes == theirs.exclude_from_indexes
    assert mine._meanings == theirs._meanings
    assert _protobuf.entity_to_pb(mine) == entity_pb._pb  # read and written back: the same bytes


def test_timestamps_read_with_nanoseconds_and_written_to_the_microsecond_like_the_helpers():
    entity_pb = entity_pb2.Entity()._pb
    entity_pb.properties["when"].timestamp_value.seconds = 1600000000
    entity_pb.properties["when"].timestamp_value.nanos = 123456789
    entity_pb.properties["micro"].timestamp_value.nanos = 5000
    decoded = _protobuf.entity_from_pb(entity_pb)
    assert decoded["when"].nanosecond == 123456789
    assert decoded["micro"] == datetime.datetime(1970, 1, 1, 0, 0, 0, 5, tzinfo=UTC)
    theirs = helpers.entity_from_protobuf(entity_pb2.Entity.wrap(entity_pb))
    assert _protobuf.entity_to_pb(decoded) == helpers.entity_to_protobuf(theirs)._pb
    assert _protobuf.entity_to_pb(decoded).properties["when"].timestamp_value.nanos == 123456000


def test_lists_mixing_index_flags_keep_them_item_by_item():
    """Legacy wrote Text items of a list unindexed and the others indexed; the helpers cannot read that."""
    entity_pb = entity_pb2.Entity()._pb
    items = entity_pb.properties["mixed"].array_value.values
    for text, flag in (("a", False), ("b", True), ("c", False)):
        item = items.add()
        item.string_value = text
        item.exclude_from_indexes = flag
    nested = entity_pb.properties["nested"].entity_value.properties["inner"].array_value.values
    for flag in (True, False):
        nested.add(string_value="n", exclude_from_indexes=flag)
    with pytest.raises(ValueError):
        helpers.entity_from_protobuf(entity_pb2.Entity.wrap(entity_pb))
    entity = _protobuf.entity_from_pb(entity_pb)
    assert entity["mixed"] == ["a", "b", "c"]
    assert "mixed" in entity.exclude_from_indexes
    assert entity._compat_item_excludes == {"mixed": (False, True, False)}
    assert "inner" in entity["nested"].exclude_from_indexes  # nested: read, flags not kept (only legacy wrote them)
    written = _protobuf.entity_to_pb(entity)
    assert [item.exclude_from_indexes for item in written.properties["mixed"].array_value.values] == [False, True, False]


class CodecModel(db.Model):
    name = db.StringProperty()
    body = db.TextProperty()
    count = db.IntegerProperty()
    when = db.DateTimeProperty()
    day = db.DateProperty()
    blob = db.BlobProperty()
    short = db.ByteStringProperty()
    tags = db.StringListProperty()
    mixed = db.ListProperty(db.Text)
    link = db.LinkProperty()
    where = db.GeoPtProperty()
    rating = db.RatingProperty()
    user = db.UserProperty()


def test_a_model_is_stored_as_the_helpers_would_store_it(datastore_emulator):
    from compat import users

    model = CodecModel(key_name="k", name="n", body=db.Text("long"), count=3,
                       when=datetime.datetime(2020, 5, 6, 7, 8, 9, 10), day=datetime.date(2021, 1, 2),
                       blob=db.Blob(b"\x00"), short=db.ByteString(b"ab"), tags=["x", "y"], mixed=[db.Text("t")],
                       link="http://example.com/", where=db.GeoPt(1.5, 2.5), rating=5,
                       user=users.User("a@example.com", _auth_domain="gmail.com"))
    entity = _mapper.entity_for_put(model)
    assert _protobuf.entity_to_pb(entity) == helpers.entity_to_protobuf(entity)._pb
    back = CodecModel.from_entity(_rpc.entity_from_pb(_protobuf.entity_to_pb(entity)))
    for name in CodecModel.properties():
        assert getattr(back, name) == getattr(model, name), name


def test_a_plain_model_loads_from_its_protobuf_as_from_its_entity(datastore_emulator):
    """The direct load (values read from the protobuf, the entity decoded only when needed) gives the same instance."""
    from compat import users

    model = CodecModel(key_name="k", name="n", body=db.Text("long"), count=3, when=datetime.datetime(2020, 5, 6),
                       day=datetime.date(2021, 1, 2), blob=db.Blob(b"\x00"), short=db.ByteString(b"ab"),
                       tags=["x", "y"], mixed=[db.Text("t")], link="http://example.com/", where=db.GeoPt(1.5, 2.5),
                       rating=5, user=users.User("a@example.com", _auth_domain="gmail.com"))
    entity = _mapper.entity_for_put(model)
    entity["undeclared"] = "kept"
    entity._meanings["undeclared"] = (15, entity["undeclared"])
    entity_pb = _protobuf.entity_to_pb(entity)
    direct = _mapper.from_pb(CodecModel, entity_pb)
    through_entity = CodecModel.from_entity(_rpc.entity_from_pb(entity_pb))
    assert type(direct.__dict__["_stored"]) is _mapper.LoadedProtobuf  # nothing decoded yet
    for name in CodecModel.properties():
        assert getattr(direct, name) == getattr(through_entity, name), name
        assert type(getattr(direct, name)) is type(getattr(through_entity, name)), name
    assert direct.key() == through_entity.key() and direct.is_saved() and direct.parent_key() is None
    assert type(direct.__dict__["_stored"]) is _mapper.LoadedProtobuf  # key() needs no decoding either
    assert _protobuf.entity_to_pb(_mapper.entity_for_put(direct)) == _protobuf.entity_to_pb(
        _mapper.entity_for_put(through_entity)) == entity_pb  # written back byte for byte, undeclared kept


@pytest.mark.parametrize("path, namespace", [(("CodecModel", 12), None), (("Parent", "p", "CodecModel", "c"), "ns")])
def test_a_direct_load_reads_the_key_from_the_protobuf(datastore_emulator, path, namespace):
    """Kind, id or name, parent and namespace of a direct load are those of the stored key, as through the entity."""
    model = CodecModel(key=db.Key.from_path(*path, namespace=namespace), name="n", count=1)
    entity_pb = _protobuf.entity_to_pb(_mapper.entity_for_put(model))
    direct = _mapper.model_from_pb(entity_pb)
    through_entity = CodecModel.from_entity(_rpc.entity_from_pb(entity_pb))
    assert type(direct) is CodecModel
    assert direct.key() == through_entity.key() == model.key()
    assert direct.key().namespace() == through_entity.key().namespace() == (namespace or "")
    assert direct.parent_key() == through_entity.parent_key()
    assert (direct.name, direct.count) == ("n", 1)
    with pytest.raises(db.KindError, match="cannot handle kind 'CodecModel'"):
        _mapper.from_pb(Codec2Model, entity_pb)


class Codec2Model(db.Model):
    name = db.StringProperty()
