"""Where a running migration records how far it got: one entity per migration.

The checkpoint entity (kind ``CompatTzMigration`` by default, in the migrated
kind's namespace, key name naming the kind, properties, source zone and
marker) holds the query cursor after the last fully processed batch, the
running totals and whether the migration finished. Re-running the same
command resumes from the cursor. The checkpoint only saves time: the
per-entity marker is what guarantees that nothing is shifted twice, so a
checkpoint that is lost or one batch behind is harmless.
"""

import collections
import datetime

from google.cloud.datastore_v1.types import datastore as _datastore_types
from google.cloud.datastore_v1.types import entity as _entity_types

DEFAULT_KIND = "CompatTzMigration"
COUNTERS = ("scanned", "converted", "skipped", "already_migrated",
            "changed_since_migration", "failed", "ambiguous", "nonexistent", "batches")

State = collections.namedtuple("State", "cursor done totals updated")


class Checkpoint:
    """Loads and saves one migration's progress in Datastore."""

    def __init__(self, client, project, migration_id, namespace=None, database=None, kind=DEFAULT_KIND):
        self._client = client
        self._project = project
        self._database = database or ""
        self.key = _entity_types.Key(
            partition_id=_entity_types.PartitionId(project_id=project, namespace_id=namespace or "",
                                                   database_id=self._database),
            path=[_entity_types.Key.PathElement(kind=kind, name=migration_id)],
        )

    def load(self):
        """The saved :class:`State`, or None if this migration never saved one."""
        response = self._client.lookup(request=_datastore_types.LookupRequest(
            project_id=self._project, database_id=self._database, keys=[self.key]))
        if not response.found:
            return None
        props = type(response.found[0].entity).pb(response.found[0].entity).properties
        cursor = props["cursor"].blob_value if "cursor" in props else b""
        totals = {name: props[name].integer_value for name in COUNTERS if name in props}
        updated = props["updated"].timestamp_value.ToDatetime() if "updated" in props else None
        return State(cursor or None, props["done"].boolean_value if "done" in props else False,
                     totals, updated)

    def save(self, cursor, totals, done, description):
        """Write the state (a blind upsert: only this process writes this checkpoint)."""
        properties = {
            "cursor": _entity_types.Value(blob_value=cursor or b"", exclude_from_indexes=True),
            "done": _entity_types.Value(boolean_value=bool(done)),
            "description": _entity_types.Value(string_value=description, exclude_from_indexes=True),
            "updated": _entity_types.Value(timestamp_value=datetime.datetime.now(datetime.timezone.utc)),
        }
        for name in COUNTERS:
            properties[name] = _entity_types.Value(integer_value=int(totals.get(name, 0)),
                                                   exclude_from_indexes=True)
        entity = _entity_types.Entity(key=self.key, properties=properties)
        self._client.commit(request=_datastore_types.CommitRequest(
            project_id=self._project, database_id=self._database,
            mode=_datastore_types.CommitRequest.Mode.NON_TRANSACTIONAL,
            mutations=[_datastore_types.Mutation(upsert=entity)]))

    def delete(self):
        """Forget the checkpoint (``--restart``)."""
        self._client.commit(request=_datastore_types.CommitRequest(
            project_id=self._project, database_id=self._database,
            mode=_datastore_types.CommitRequest.Mode.NON_TRANSACTIONAL,
            mutations=[_datastore_types.Mutation(delete=self.key)]))
