"""``google.cloud.datastore`` entities and keys <-> Cloud Datastore v1 protobufs, without proto-plus.

google-cloud-datastore's ``helpers.entity_to_protobuf`` /
``entity_from_protobuf`` and ``Key.to_protobuf`` go through proto-plus
wrappers, which costs more per entity than everything else compat does on a
get or a put. These functions read and write the raw protobuf messages
(``entity_pb2.Entity.pb()``) directly and give exactly what the helpers give
(tests/compat/db/test_protobuf.py compares them value type by value type):

* a property listed in ``exclude_from_indexes`` is written excluded (for a
  list: each item, as the helpers do); meanings are written back only for
  values unchanged since they were read (``entity._meanings``), a list's as
  ``(root meaning, [item meanings])``;
* legacy wrote lists whose items disagree on the index flag (Text/Blob items
  unindexed, others indexed): such a list is read with every item counted as
  excluded and its per-item flags kept in ``entity._compat_item_excludes``
  (google-cloud-datastore refuses to read it), and written back item by item;
* timestamps come back as aware UTC datetimes (``DatetimeWithNanoseconds``
  when the stored value has nanoseconds, as the helpers give them); they are
  written to the microsecond, naive ones as UTC (as the helpers write them;
  the helpers lose microseconds after the year 2255, these do not).
"""

import datetime

from google.cloud.datastore.entity import Entity
from google.cloud.datastore.helpers import GeoPoint
from google.cloud.datastore.key import Key
from google.cloud.datastore_v1.types import entity as _entity_types
from google.protobuf import struct_pb2
from proto.datetime_helpers import DatetimeWithNanoseconds

EntityPb = _entity_types.Entity.pb()
KeyPb = _entity_types.Key.pb()

_UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)
_EPOCH_NAIVE = datetime.datetime(1970, 1, 1)
_NULL = struct_pb2.NULL_VALUE
_timedelta = datetime.timedelta


# -- keys ------------------------------------------------------------------------------


def key_to_pb(key, key_pb=None):
    """Write ``key`` (a ``google.cloud.datastore.Key``) into ``key_pb`` (a new Key protobuf by default)."""
    if key_pb is None:
        key_pb = KeyPb()
    partition = key_pb.partition_id
    partition.project_id = key.project
    database = getattr(key, "database", None)
    if database:
        partition.database_id = database
    if key.namespace:
        partition.namespace_id = key.namespace
    path = key_pb.path
    flat = key.flat_path
    last = len(flat) - 1
    for index in range(0, len(flat), 2):
        element = path.add()
        element.kind = flat[index]
        if index < last:
            ident = flat[index + 1]
            if type(ident) is int:
                element.id = ident
            else:
                element.name = ident
    return key_pb


def key_from_pb(key_pb):
    """The ``google.cloud.datastore.Key`` of a Key protobuf."""
    flat = []
    for element in key_pb.path:
        flat.append(element.kind)
        if element.id:
            flat.append(element.id)
        elif element.name:
            flat.append(element.name)
    partition = key_pb.partition_id
    return Key(*flat, project=partition.project_id or None, namespace=partition.namespace_id or None,
               database=partition.database_id or None)


# -- values ----------------------------------------------------------------------------


def _timestamp(value, timestamp_pb):
    """To the microsecond, naive as UTC (what the helpers write; nanoseconds are dropped as they drop them)."""
    if value.tzinfo is None:
        delta = value - _EPOCH_NAIVE
    else:
        delta = value - _EPOCH
    timestamp_pb.seconds = delta.days * 86400 + delta.seconds
    timestamp_pb.nanos = delta.microseconds * 1000


def set_value(value_pb, value):
    """Write one python value (as google-cloud-datastore takes it) into a Value protobuf."""
    kind = type(value)
    if kind is str:
        value_pb.string_value = value
    elif kind is int:
        value_pb.integer_value = value
    elif kind is bool:
        value_pb.boolean_value = value
    elif kind is float:
        value_pb.double_value = value
    elif value is None:
        value_pb.null_value = _NULL
    elif isinstance(value, datetime.datetime):
        _timestamp(value, value_pb.timestamp_value)
    elif isinstance(value, Key):
        key_to_pb(value, value_pb.key_value)
    elif isinstance(value, bool):
        value_pb.boolean_value = value
    elif isinstance(value, float):
        value_pb.double_value = value
    elif isinstance(value, int):
        value_pb.integer_value = value
    elif isinstance(value, str):
        value_pb.string_value = value
    elif isinstance(value, bytes):
        value_pb.blob_value = value
    elif isinstance(value, Entity):
        entity_to_pb(value, value_pb.entity_value)
    elif isinstance(value, dict):
        nested = Entity()
        nested.update(value)
        entity_to_pb(nested, value_pb.entity_value)
    elif isinstance(value, list):
        array = value_pb.array_value
        if not value:
            array.SetInParent()
        else:
            values = array.values
            for item in value:
                set_value(values.add(), item)
    elif isinstance(value, GeoPoint):
        point = value_pb.geo_point_value
        point.latitude = value.latitude
        point.longitude = value.longitude
    else:
        raise ValueError("Unknown protobuf attr type", type(value))


def value_from_pb(value_pb):
    """The python value of a Value protobuf (what google-cloud-datastore gives)."""
    which = value_pb.WhichOneof("value_type")
    if which == "string_value":
        return value_pb.string_value
    if which == "integer_value":
        return value_pb.integer_value
    if which == "timestamp_value":
        timestamp = value_pb.timestamp_value
        if timestamp.nanos % 1000:
            return DatetimeWithNanoseconds.from_timestamp_pb(timestamp)
        return _EPOCH + _timedelta(seconds=timestamp.seconds, microseconds=timestamp.nanos // 1000)
    if which == "boolean_value":
        return value_pb.boolean_value
    if which == "double_value":
        return value_pb.double_value
    if which == "array_value":
        return [value_from_pb(item) for item in value_pb.array_value.values]
    if which == "key_value":
        return key_from_pb(value_pb.key_value)
    if which == "blob_value":
        return value_pb.blob_value
    if which == "null_value":
        return None
    if which == "entity_value":
        return entity_from_pb(value_pb.entity_value, keep_item_flags=False)
    if which == "geo_point_value":
        point = value_pb.geo_point_value
        return GeoPoint(point.latitude, point.longitude)
    raise ValueError("Value protobuf did not have any value set")


# -- entities --------------------------------------------------------------------------


def entity_to_pb(entity, entity_pb=None):
    """Write ``entity`` (a ``google.cloud.datastore.Entity``) into ``entity_pb`` (a new Entity protobuf by default)."""
    if entity_pb is None:
        entity_pb = EntityPb()
    if entity.key is not None:
        key_to_pb(entity.key, entity_pb.key)
    properties = entity_pb.properties
    exclude = entity.exclude_from_indexes
    meanings = entity._meanings
    item_flags = entity.__dict__.get("_compat_item_excludes")
    for name, value in entity.items():
        value_pb = properties[name]
        set_value(value_pb, value)
        is_list = type(value) is list or isinstance(value, list)
        if name in exclude:
            if is_list:
                for item in value_pb.array_value.values:
                    item.exclude_from_indexes = True
            else:
                value_pb.exclude_from_indexes = True
        if name in meanings:
            meaning, original = meanings[name]
            if original is value and meaning is not None:
                _set_meaning(value_pb, meaning, is_list)
        if item_flags and name in item_flags:
            for item, flag in zip(value_pb.array_value.values, item_flags[name]):
                item.exclude_from_indexes = flag
    return entity_pb


def _set_meaning(value_pb, meaning, is_list):
    """google-cloud-datastore's meaning layout: a list's as ``(root, [items])``; an older plain list or int too."""
    if not is_list:
        value_pb.meaning = meaning
        return
    if isinstance(meaning, tuple):
        root, items = meaning
    elif isinstance(meaning, list):
        root, items = None, meaning
    else:
        root, items = None, [meaning] * len(value_pb.array_value.values)
    if root is not None:
        value_pb.meaning = root
    if items:
        for item_pb, item_meaning in zip(value_pb.array_value.values, items):
            if item_meaning is not None:
                item_pb.meaning = item_meaning


NOT_PLAIN = object()
_PLAIN_SCALARS = frozenset(["string_value", "integer_value", "double_value", "boolean_value"])


def plain_value(value_pb):
    """The legacy value of a scalar without a meaning (a string, number, boolean or timestamp), or NOT_PLAIN.

    What ``read_value`` and ``_values.from_datastore`` give together, for the
    common values, faster: timestamps come back naive UTC, as legacy gave them.
    """
    if value_pb.meaning:
        return NOT_PLAIN
    which = value_pb.WhichOneof("value_type")
    if which in _PLAIN_SCALARS:
        return getattr(value_pb, which)
    if which == "timestamp_value":
        timestamp = value_pb.timestamp_value
        return _EPOCH_NAIVE + _timedelta(seconds=timestamp.seconds, microseconds=timestamp.nanos // 1000)
    if which == "null_value":
        return None
    return NOT_PLAIN


def read_value(value_pb):
    """``(value, meaning, excluded)`` of one property's Value protobuf, as an entity records them.

    ``meaning`` is an int, ``(root, [item meanings])`` for a list, or None;
    ``excluded`` is a bool, or for a list mixing indexed and unindexed items
    the tuple of its per-item flags.
    """
    value = value_from_pb(value_pb)
    if type(value) is not list:
        return value, value_pb.meaning or None, value_pb.exclude_from_indexes
    items = value_pb.array_value.values
    sub_meanings = [item.meaning or None for item in items]
    if not any(sub_meanings):
        sub_meanings = None
    root = value_pb.meaning or None
    meaning = (root, sub_meanings) if root is not None or sub_meanings is not None else None
    if not items:
        return value, meaning, value_pb.exclude_from_indexes
    flags = tuple(item.exclude_from_indexes for item in items)
    first = flags[0]
    if any(flag != first for flag in flags):
        return value, meaning, flags
    return value, meaning, first


def entity_from_pb(entity_pb, keep_item_flags=True):
    """A ``google.cloud.datastore.Entity`` for an Entity protobuf (raw or proto-plus).

    Lists mixing indexed and unindexed items are read as excluded, with their
    per-item flags kept in ``entity._compat_item_excludes`` (top-level
    properties only: only legacy wrote such lists, and never nested).
    """
    entity_pb = getattr(entity_pb, "_pb", entity_pb)
    entity = Entity(key=key_from_pb(entity_pb.key) if entity_pb.HasField("key") else None)
    exclude = entity.exclude_from_indexes
    meanings = entity._meanings
    item_flags = None
    for name, value_pb in entity_pb.properties.items():
        value, meaning, excluded = read_value(value_pb)
        entity[name] = value
        if meaning is not None:
            meanings[name] = (meaning, value)
        if excluded is True:
            exclude.add(name)
        elif excluded is not False:  # a list mixing index flags
            exclude.add(name)
            if keep_item_flags:
                if item_flags is None:
                    item_flags = entity._compat_item_excludes = {}
                item_flags[name] = excluded
    return entity
