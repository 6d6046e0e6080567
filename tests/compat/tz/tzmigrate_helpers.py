"""Build and read raw Datastore v1 entities shaped exactly as legacy ``db`` stored them.

Used by the migration tests (single machine and Beam): entities carry every
storage form of shared/reference/storage-format.md (meanings, unindexed
values, embedded users, lists with excluded elements, keys, GeoPt, nulls), so
the tests can check that only the migrated timestamps change.
"""

import datetime

from google.cloud.datastore_v1.types import datastore as ds
from google.cloud.datastore_v1.types import entity as ent
from google.type import latlng_pb2

from compat.tz.migrate import _api

KIND = "Entry"
EPOCH = datetime.datetime(1970, 1, 1)


def client():
    return _api.make_client()


def key(project, ident, kind=KIND, namespace="", parent=None):
    path = list(parent.path) if parent is not None else []
    element = ent.Key.PathElement(kind=kind, name=ident) if isinstance(ident, str) else (
        ent.Key.PathElement(kind=kind, id=ident))
    return ent.Key(partition_id=ent.PartitionId(project_id=project, namespace_id=namespace),
                   path=path + [element])


def ts(naive):
    """A timestamp Value for a naive datetime taken as UTC (what legacy db wrote)."""
    value = ent.Value()
    pb = ent.Value.pb(value)
    delta = naive - EPOCH
    pb.timestamp_value.seconds = delta.days * 86400 + delta.seconds
    pb.timestamp_value.nanos = delta.microseconds * 1000
    return value


def stamp(value_pb):
    """The naive datetime of a raw timestamp Value protobuf."""
    t = value_pb.timestamp_value
    return EPOCH + datetime.timedelta(seconds=t.seconds, microseconds=t.nanos // 1000)


def legacy_entity(project, ident, created, updated=None, history=(), namespace="", parent=None):
    """An Entry with wall-clock ``created``/``updated``/``history`` and every other legacy form."""
    k = key(project, ident, namespace=namespace, parent=parent)
    user = ent.Entity(properties={
        "email": ent.Value(string_value="taro@example.jp", exclude_from_indexes=True),
        "auth_domain": ent.Value(string_value="gmail.com", exclude_from_indexes=True),
        "user_id": ent.Value(string_value="1234567890", exclude_from_indexes=True),
    })
    created_value = ts(created)
    properties = {
        "created": created_value,
        "title": ent.Value(string_value="日記 %s" % ident),
        "body": ent.Value(string_value="本文 " * 50, meaning=15, exclude_from_indexes=True),
        "email": ent.Value(string_value="taro@example.jp", meaning=8),
        "link": ent.Value(string_value="http://example.jp/", meaning=2),
        "rating": ent.Value(integer_value=87, meaning=13),
        "data": ent.Value(blob_value=b"\x00\x01\xff", exclude_from_indexes=True),
        "short": ent.Value(blob_value=b"abc"),
        "where": ent.Value(geo_point_value=latlng_pb2.LatLng(latitude=35.68, longitude=139.76)),
        "owner": ent.Value(entity_value=user, meaning=20),
        "ref": ent.Value(key_value=key(project, "other", kind="Other", namespace=namespace)),
        "nothing": ent.Value(null_value=0),
        "tags": ent.Value(array_value=ent.ArrayValue(values=[
            ent.Value(string_value="a", exclude_from_indexes=True),
            ent.Value(string_value="b", exclude_from_indexes=True)])),
        "score": ent.Value(double_value=0.1),
        "flag": ent.Value(boolean_value=True),
        "birthday": ts(datetime.datetime(1980, 5, 17)),  # a DateProperty: not migrated
    }
    if updated is not None:
        value = ts(updated)
        value.exclude_from_indexes = True  # an unindexed DateTimeProperty
        properties["updated"] = value
    if history:
        properties["history"] = ent.Value(array_value=ent.ArrayValue(values=[ts(h) for h in history]))
    return ent.Entity(key=k, properties=properties)


def put(api, project, entities):
    for start in range(0, len(entities), 25):
        api.commit(request=ds.CommitRequest(
            project_id=project, mode=ds.CommitRequest.Mode.NON_TRANSACTIONAL,
            mutations=[ds.Mutation(upsert=e) for e in entities[start:start + 25]]))


def get_raw(api, project, keys):
    """Raw Entity protobufs in the order of ``keys`` (None for missing)."""
    found = {}
    pending = list(keys)
    while pending:
        response = api.lookup(request=ds.LookupRequest(project_id=project, keys=pending))
        for result in response.found:
            pb = type(result).pb(result).entity
            found[pb.key.SerializeToString()] = pb
        pending = list(response.deferred)
    return [found.get(ent.Key.pb(k).SerializeToString()) for k in keys]


def others(entity_pb, excluded):
    """Every property except ``excluded``, serialized (byte-for-byte comparison)."""
    return {name: value.SerializeToString(deterministic=True)
            for name, value in entity_pb.properties.items() if name not in excluded}
