"""Everything a test left in the datastore, read raw from the emulator.

The snapshot goes through google-cloud-datastore's own gRPC client
(``datastore_v1``), never through compat or ndb, and keeps what legacy's
storage format is made of (docs/storage.md): for every namespace and kind,
every entity's key and, per property, the v1 value type, the value, the
``meaning`` and the ``exclude_from_indexes`` flag, item by item inside arrays
and embedded entities. The result is plain JSON::

    {"namespace|Kind|path": {"key": {...}, "properties": {"name": VALUE}}}

    VALUE = {"type": "string", "value": "x", "meaning": 15, "excluded": true}
"""

from __future__ import annotations

import base64
import datetime
from typing import Any, Dict, List, Optional

def _meaning_names() -> dict:
    """``{15: "Text", 16: "Bytestring", ...}`` from the shim's own storage-format constants (compat.db.types)."""
    from compat.db import types

    names: dict = {}
    for attribute in dir(types):
        if attribute.startswith("MEANING_"):
            names.setdefault(getattr(types, attribute), attribute[len("MEANING_"):].replace("_", " ").title())
    return names


_MEANING_NAMES = _meaning_names()


def meaning_name(meaning: Optional[int]) -> str:
    """``15 (Text)``: a meaning code with the legacy type it marks (compat.db.types' codes)."""
    return "%s (%s)" % (meaning, _MEANING_NAMES[meaning]) if meaning in _MEANING_NAMES else str(meaning)


class Snapshotter:
    """Reads whole emulator contents with a raw ``datastore_v1`` client (one channel, reused)."""

    def __init__(self, host: str, project: str) -> None:
        import grpc
        from google.cloud.datastore_v1.services.datastore import DatastoreClient
        from google.cloud.datastore_v1.services.datastore.transports import DatastoreGrpcTransport

        self.project = project
        self._channel = grpc.insecure_channel(host)
        self._client = DatastoreClient(transport=DatastoreGrpcTransport(channel=self._channel))

    def close(self) -> None:
        """Close the channel."""
        self._channel.close()

    def _run(self, namespace: str, kind: str, keys_only: bool = False) -> List:
        query: dict = {"kind": [{"name": kind}]}
        if keys_only:
            query["projection"] = [{"property": {"name": "__key__"}}]
        found: List[Any] = []
        cursor = None
        while True:
            if cursor:
                query["start_cursor"] = cursor
            response = self._client.run_query(request={
                "project_id": self.project,
                "partition_id": {"project_id": self.project, "namespace_id": namespace},
                "query": query,
            })
            batch = response._pb.batch
            found.extend(result.entity for result in batch.entity_results)
            if batch.more_results != 1 or not batch.entity_results:  # 1 = NOT_FINISHED
                return found
            cursor = batch.end_cursor

    def namespaces(self) -> List[str]:
        """Every namespace holding data (``""`` for the default one)."""
        out = []
        for entity in self._run("", "__namespace__", keys_only=True):
            element = entity.key.path[-1]
            out.append("" if element.WhichOneof("id_type") == "id" else element.name)
        return sorted(out)

    def take(self) -> Dict[str, dict]:
        """The snapshot of every entity in every namespace and kind."""
        out: Dict[str, dict] = {}
        for namespace in self.namespaces():
            kinds = [e.key.path[-1].name for e in self._run(namespace, "__kind__", keys_only=True)]
            for kind in sorted(kinds):
                if kind.startswith("__"):
                    continue
                for entity in self._run(namespace, kind):
                    key = key_json(entity.key)
                    out[key_label(key)] = {
                        "key": key,
                        "properties": {name: value_json(value) for name, value in sorted(entity.properties.items())},
                    }
        return out


def key_json(key_pb: Any) -> dict:
    """``{"namespace": ns, "path": [[kind, id_or_name], ...]}`` (ids are ints, names strings)."""
    path = []
    for element in key_pb.path:
        which = element.WhichOneof("id_type")
        path.append([element.kind, element.id if which == "id" else element.name if which == "name" else None])
    return {"namespace": key_pb.partition_id.namespace_id, "path": path}


def key_label(key: dict) -> str:
    """``ns:Kind(1)/Child('a')`` -- a readable, sortable key string."""
    parts = ["%s(%r)" % (kind, ident) for kind, ident in key["path"]]
    prefix = key["namespace"] + ":" if key["namespace"] else ""
    return prefix + "/".join(parts)


def value_json(value_pb: Any) -> dict:
    """One stored value: type, value, meaning, excluded (recursively for arrays and entities)."""
    which = value_pb.WhichOneof("value_type")
    out: dict = {"type": which.replace("_value", "") if which else "null"}
    if which == "null_value" or which is None:
        out["value"] = None
    elif which == "boolean_value":
        out["value"] = value_pb.boolean_value
    elif which == "integer_value":
        out["value"] = value_pb.integer_value
    elif which == "double_value":
        out["value"] = value_pb.double_value
    elif which == "timestamp_value":
        stamp = value_pb.timestamp_value
        moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=stamp.seconds, microseconds=stamp.nanos // 1000)
        out["value"] = moment.isoformat()
    elif which == "key_value":
        out["value"] = key_json(value_pb.key_value)
    elif which == "string_value":
        out["value"] = value_pb.string_value
    elif which == "blob_value":
        out["value"] = base64.b64encode(value_pb.blob_value).decode("ascii")
    elif which == "geo_point_value":
        out["value"] = [value_pb.geo_point_value.latitude, value_pb.geo_point_value.longitude]
    elif which == "entity_value":
        inner = value_pb.entity_value
        out["value"] = {name: value_json(v) for name, v in sorted(inner.properties.items())}
        if inner.HasField("key"):
            out["key"] = key_json(inner.key)
    elif which == "array_value":
        out["value"] = [value_json(item) for item in value_pb.array_value.values]
    if value_pb.meaning:
        out["meaning"] = value_pb.meaning
    if value_pb.exclude_from_indexes:
        out["excluded"] = True
    return out
