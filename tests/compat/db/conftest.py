"""Shared fixtures for the compat.db tests: a clean emulator, and a raw reader of what is stored.

``raw`` reads entities with google-cloud-datastore straight from the emulator
(never through compat), so a test sees the stored form itself: the v1 value
type, meaning and ``exclude_from_indexes`` flag of every value.
"""

import os
from typing import NamedTuple, Optional

import pytest
from google.cloud import datastore
from google.cloud.datastore import helpers

from compat import _config


class Stored(NamedTuple):
    """One stored v1 value: ``type`` is the value_type without ``_value`` (``string``, ``blob``,
    ``null``, ``array`` ...); ``value`` a plain Python value (a list of Stored for an array, a dict
    of Stored for an embedded entity); ``meaning`` None when unset."""

    type: str
    value: object
    meaning: Optional[int] = None
    excluded: bool = False


def stored_value(value_pb):
    """The :class:`Stored` form of a raw ``entity_pb2.Value`` protobuf."""
    kind = value_pb.WhichOneof("value_type")
    if kind == "array_value":
        value = [stored_value(item) for item in value_pb.array_value.values]
    elif kind == "entity_value":
        value = {name: stored_value(item) for name, item in value_pb.entity_value.properties.items()}
    elif kind == "timestamp_value":
        value = value_pb.timestamp_value.ToDatetime()
    elif kind == "key_value":
        value = tuple(
            part for element in value_pb.key_value.path
            for part in (element.kind, element.name or element.id)
        )
    elif kind == "geo_point_value":
        value = (value_pb.geo_point_value.latitude, value_pb.geo_point_value.longitude)
    elif kind == "null_value":
        value = None
    else:
        value = getattr(value_pb, kind)
    return Stored(kind[: -len("_value")], value, value_pb.meaning or None, value_pb.exclude_from_indexes)


class RawReader:
    """Reads and writes the emulator directly with google-cloud-datastore, bypassing compat."""

    def __init__(self, emulator):
        saved = os.environ.get("DATASTORE_EMULATOR_HOST")
        os.environ["DATASTORE_EMULATOR_HOST"] = emulator.host  # the emulator itself, never a proxy
        try:
            self.client = datastore.Client(project=emulator.project)
        finally:
            if saved is None:
                os.environ.pop("DATASTORE_EMULATOR_HOST", None)
            else:
                os.environ["DATASTORE_EMULATOR_HOST"] = saved
        self.project = emulator.project

    def entity(self, key):
        """The stored ``google.cloud.datastore.Entity`` for a db.Key (or a datastore key), or None."""
        return self.client.get(getattr(key, "_ds", key))

    def pb(self, key):
        """The stored ``entity_pb2.Entity`` protobuf (raw), or None."""
        ds_key = getattr(key, "_ds", key)
        response = self.client._datastore_api.lookup(
            request={"project_id": self.project, "keys": [ds_key.to_protobuf()]}
        )
        return response.found[0].entity._pb if response.found else None

    def stored(self, key):
        """``{name: Stored}`` for every stored property of the entity (None if it does not exist)."""
        entity_pb = self.pb(key)
        if entity_pb is None:
            return None
        return {name: stored_value(value) for name, value in entity_pb.properties.items()}

    def put_pb(self, entity_pb):
        """Write a raw ``entity_pb2.Entity`` protobuf as it is (meanings and flags included)."""
        self.client._datastore_api.commit(request={
            "project_id": self.project, "mode": 2,  # NON_TRANSACTIONAL
            "mutations": [{"upsert": entity_pb}],
        })

    def put(self, entity):
        """Write a ``google.cloud.datastore.Entity`` (its ``_meanings`` and exclusions included)."""
        self.put_pb(helpers.entity_to_protobuf(entity)._pb)

    def count(self, kind):
        """How many entities of ``kind`` are stored."""
        query = self.client.query(kind=kind)
        query.keys_only()
        return len(list(query.fetch()))


@pytest.fixture
def raw(clean_datastore):
    """A RawReader on a freshly wiped emulator."""
    return RawReader(clean_datastore)


@pytest.fixture
def counted(raw, datastore_fault_proxy):
    """The fault proxy in front of the wiped emulator: ``counted.calls["Lookup"]`` etc. count the RPCs
    compat makes (``raw`` still reads the emulator directly)."""
    datastore_fault_proxy.reset_counts()
    return datastore_fault_proxy


@pytest.fixture(autouse=True)
def _default_compat_settings():
    """Each test starts and ends with compat's default constructor strictness."""
    saved = _config.settings.strict_constructor
    yield
    _config.settings.strict_constructor = saved
