"""The single-machine migration: page through one kind, rewrite in transactions, checkpoint.

Each page of keys (``batch_size``, ordered by key) is processed in
transactions of at most ``group_size`` entity groups (the emulator, like
legacy Datastore, refuses more than 25 per transaction; Firestore in
Datastore mode takes up to 500 entities). Inside each transaction the
entities are read afresh, rewritten (:mod:`compat.tz.migrate.rewrite`) and
committed together with their marker, so a concurrent application write
either happens before (and is converted) or makes the transaction retry.
After a page the cursor is saved (:mod:`compat.tz.migrate.checkpoint`).
"""

import collections
import random
import sys
import time

from google.api_core import exceptions as api_exceptions
from google.cloud.datastore_v1.types import datastore as _datastore_types
from google.cloud.datastore_v1.types import entity as _entity_types
from google.cloud.datastore_v1.types import query as _query_types

from compat import _discovery
from compat.tz.migrate import _api
from compat.tz.migrate.checkpoint import COUNTERS, DEFAULT_KIND, Checkpoint
from compat.tz.migrate.rewrite import (
    ALREADY, CHANGED, CONVERTED, DEFAULT_MARKER, FAILED, SKIPPED, Rewriter)
from compat.tz.zones import zone, zone_name

MAX_LISTED = 20
_RETRYABLE = (api_exceptions.Aborted, api_exceptions.Conflict, api_exceptions.ServiceUnavailable,
              api_exceptions.DeadlineExceeded, api_exceptions.InternalServerError)
_STATUS_COUNTER = {CONVERTED: "converted", SKIPPED: "skipped", ALREADY: "already_migrated",
                   CHANGED: "changed_since_migration", FAILED: "failed"}


class Report:
    """Counts of one run (``scanned = converted + skipped + already_migrated + changed + failed``)."""

    def __init__(self, dry_run):
        self.dry_run = dry_run
        self.counts = collections.OrderedDict((name, 0) for name in COUNTERS)
        self.failures = []  # (key text, reason)
        self.changed = []  # key texts
        self.resumed = False
        self.already_complete = False
        self.totals = None  # cumulative counts from the checkpoint, when applying

    def __getattr__(self, name):
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    def as_dict(self):
        """A JSON-friendly summary."""
        return {"dry_run": self.dry_run, "resumed": self.resumed,
                "already_complete": self.already_complete, "counts": dict(self.counts),
                "totals": self.totals, "failures": [list(f) for f in self.failures],
                "changed_since_migration_keys": list(self.changed)}

    def summary(self):
        """Human-readable lines for the command's output."""
        verb = "would convert" if self.dry_run else "converted"
        lines = []
        if self.already_complete:
            lines.append("This migration already finished; nothing to do (--restart scans again, "
                         "e.g. after fixing failed entities).")
        if self.resumed:
            lines.append("Resumed from the saved checkpoint.")
        if not self.already_complete:
            lines.append("scanned %(scanned)d, " % self.counts + "%s %d, " % (verb, self.counts["converted"])
                         + "skipped %(skipped)d, already migrated %(already_migrated)d, "
                           "changed since migration %(changed_since_migration)d, failed %(failed)d "
                           "(%(batches)d batches)" % self.counts)
        if self.counts["ambiguous"] or self.counts["nonexistent"]:
            lines.append("DST: %(ambiguous)d ambiguous wall times took the earlier instant, "
                         "%(nonexistent)d missing wall times were shifted forward" % self.counts)
        for key, reason in self.failures[:MAX_LISTED]:
            lines.append("  failed %s: %s" % (key, reason))
        if len(self.failures) > MAX_LISTED:
            lines.append("  ... and %d more failures" % (len(self.failures) - MAX_LISTED))
        for key in self.changed[:MAX_LISTED]:
            lines.append("  changed since migration (left alone) %s" % key)
        if self.failures:
            lines.append("Failed entities were left untouched; fix them and re-run with --restart "
                         "(converted entities are skipped, never shifted twice).")
        if self.totals and (self.resumed or self.already_complete):
            lines.append("Totals over all runs: scanned %(scanned)d, converted %(converted)d, skipped "
                         "%(skipped)d, already migrated %(already_migrated)d, changed since migration "
                         "%(changed_since_migration)d, failed %(failed)d" % self.totals)
        if self.dry_run:
            lines.append("Dry run: nothing was written. Add --apply to convert.")
        return "\n".join(lines)


class Migration:
    """Rewrite one kind's wall-clock timestamps (``properties``, in ``source_zone``) to UTC."""

    def __init__(self, kind, properties, source_zone, project=None, namespace=None, database=None,
                 apply=False, batch_size=500, group_size=25, marker=DEFAULT_MARKER,
                 checkpoint_kind=DEFAULT_KIND, client=None, progress=True, on_event=None,
                 max_attempts=5):
        if not kind:
            raise ValueError("name the kind to migrate")
        if batch_size < 1 or group_size < 1:
            raise ValueError("batch_size and group_size must be at least 1")
        self.kind = kind
        self.source_zone = zone(source_zone)
        self.rewriter = Rewriter(list(properties), self.source_zone, marker=marker)
        self.project = project or _discovery.default_project()
        if not self.project:
            raise ValueError("no project: pass --project or set DATASTORE_PROJECT_ID / GOOGLE_CLOUD_PROJECT")
        self.namespace = namespace or ""
        self.database = database or ""
        self.apply = apply
        self.batch_size = batch_size
        self.group_size = group_size
        self.client = client or _api.make_client()
        self.progress = progress
        self.on_event = on_event or (lambda event, **info: None)
        self.max_attempts = max_attempts
        self.migration_id = "%s:%s:%s->UTC:%s" % (kind, "+".join(self.rewriter.properties),
                                                 zone_name(self.source_zone), marker)
        self.processor = ChunkProcessor(self.client, self.project, self.rewriter, apply=apply,
                                        database=self.database, max_attempts=max_attempts)
        self.checkpoint = Checkpoint(self.client, self.project, self.migration_id,
                                     namespace=self.namespace, database=self.database,
                                     kind=checkpoint_kind)

    # -- the run ----------------------------------------------------------------

    def run(self, restart=False):
        """Process the whole kind (from the checkpoint unless ``restart``); return a :class:`Report`."""
        report = Report(dry_run=not self.apply)
        cursor, base = None, dict.fromkeys(COUNTERS, 0)
        if self.apply:
            state = None if restart else self.checkpoint.load()
            if state is not None:
                base.update(state.totals)
                if state.done:
                    report.already_complete = True
                    report.totals = base
                    return report
                cursor, report.resumed = state.cursor, state.cursor is not None
        bar = self._progress_bar()
        try:
            while True:
                keys, end_cursor, more = self._page(cursor)
                for chunk_index, chunk in enumerate(_chunks_by_group(keys, self.group_size)):
                    self.processor.process(chunk, report)
                    self.on_event("chunk_done", batch=report.counts["batches"],
                                  chunk=chunk_index, report=report)
                if keys:
                    report.counts["batches"] += 1
                    cursor = end_cursor
                bar.update(len(keys))
                done = not keys or more == _query_types.QueryResultBatch.MoreResultsType.NO_MORE_RESULTS
                if self.apply and (keys or done):
                    totals = {name: base.get(name, 0) + report.counts[name] for name in COUNTERS}
                    self.checkpoint.save(cursor, totals, done, self.migration_id)
                    report.totals = totals
                self.on_event("batch_done", batch=report.counts["batches"], report=report)
                if done:
                    return report
        finally:
            bar.close()

    # -- reading ----------------------------------------------------------------

    def _page(self, cursor):
        query = _query_types.Query(
            kind=[_query_types.KindExpression(name=self.kind)],
            projection=[_query_types.Projection(property=_query_types.PropertyReference(name="__key__"))],
            order=[_query_types.PropertyOrder(property=_query_types.PropertyReference(name="__key__"))],
            limit=self.batch_size,
        )
        if cursor:
            query.start_cursor = cursor
        response = self._call(lambda: self.client.run_query(request=_datastore_types.RunQueryRequest(
            project_id=self.project, database_id=self.database, partition_id=self._partition(),
            query=query)))
        batch = response.batch
        keys = [type(result).pb(result).entity.key for result in batch.entity_results]
        return keys, batch.end_cursor, batch.more_results

    # -- helpers --------------------------------------------------------------

    def _call(self, function):
        for attempt in range(1, self.max_attempts + 1):
            try:
                return function()
            except _RETRYABLE:
                if attempt == self.max_attempts:
                    raise
                time.sleep(min(2.0, 0.05 * 2 ** attempt) * random.random())

    def _partition(self):
        return _entity_types.PartitionId(project_id=self.project, namespace_id=self.namespace,
                                         database_id=self.database)

    def count(self):
        """The number of entities of the kind, or None where aggregation is unavailable (emulator)."""
        query = _query_types.Query(kind=[_query_types.KindExpression(name=self.kind)])
        aggregation = _query_types.AggregationQuery(
            nested_query=query,
            aggregations=[_query_types.AggregationQuery.Aggregation(
                count=_query_types.AggregationQuery.Aggregation.Count(), alias="n")])
        try:
            response = self.client.run_aggregation_query(request=_datastore_types.RunAggregationQueryRequest(
                project_id=self.project, database_id=self.database, partition_id=self._partition(),
                aggregation_query=aggregation))
            return int(response.batch.aggregation_results[0].aggregate_properties["n"].integer_value)
        except (api_exceptions.GoogleAPICallError, IndexError, KeyError):
            return None

    def _progress_bar(self):
        from tqdm import tqdm

        total = self.count() if self.progress else None
        return tqdm(total=total, unit="entity", file=sys.stderr, disable=not self.progress,
                    desc="%s %s" % ("converting" if self.apply else "dry run", self.kind))


class ChunkProcessor:
    """Reads, rewrites and commits one chunk of keys in one transaction (dry run: reads only).

    Shared by :class:`Migration` and the Beam pipeline. Counts go into a
    :class:`Report` only once the transaction committed, so a retried or
    interrupted chunk is never counted twice.
    """

    def __init__(self, client, project, rewriter, apply=False, database="", max_attempts=5):
        self.client = client
        self.project = project
        self.rewriter = rewriter
        self.apply = apply
        self.database = database or ""
        self.max_attempts = max_attempts

    def _lookup(self, keys, transaction):
        read_options = _datastore_types.ReadOptions(transaction=transaction) if transaction else None
        found, missing, pending = [], [], list(keys)
        while pending:
            response = self.client.lookup(request=_datastore_types.LookupRequest(
                project_id=self.project, database_id=self.database, keys=pending,
                read_options=read_options))
            found.extend(type(r).pb(r).entity for r in response.found)
            missing.extend(type(r).pb(r).entity.key for r in response.missing)
            pending = [type(k).pb(k) for k in response.deferred]
        return found, missing

    # -- writing ----------------------------------------------------------------

    def process(self, keys, report):
        """Rewrite the entities of ``keys`` in one transaction (retried on contention); count into ``report``."""
        for attempt in range(1, self.max_attempts + 1):
            transaction = None
            try:
                if self.apply:
                    transaction = self.client.begin_transaction(request=_datastore_types.BeginTransactionRequest(
                        project_id=self.project, database_id=self.database)).transaction
                found, missing = self._lookup(keys, transaction)
                outcomes, mutations = [], []
                for entity_pb in found:
                    outcome = self.rewriter.rewrite(entity_pb)
                    outcomes.append((entity_pb.key, outcome))
                    if outcome.status == CONVERTED:
                        mutations.append(_datastore_types.Mutation(update=_entity_types.Entity.wrap(entity_pb)))
                if self.apply:
                    if mutations:
                        self.client.commit(request=_datastore_types.CommitRequest(
                            project_id=self.project, database_id=self.database,
                            mode=_datastore_types.CommitRequest.Mode.TRANSACTIONAL,
                            transaction=transaction, mutations=mutations))
                    else:
                        self._rollback(transaction)
            except _RETRYABLE:
                self._rollback(transaction)
                if attempt == self.max_attempts:
                    self._fail_all(keys, report, "gave up after %d attempts (contention)" % attempt)
                    return
                time.sleep(min(2.0, 0.05 * 2 ** attempt) * random.random())
                continue
            except api_exceptions.GoogleAPICallError as error:
                self._rollback(transaction)
                self._fail_all(keys, report, "%s: %s" % (type(error).__name__, error.message))
                return
            except BaseException:
                self._rollback(transaction)
                raise
            self._tally(outcomes, missing, report)
            return

    def _tally(self, outcomes, missing, report):
        counts = report.counts
        counts["scanned"] += len(outcomes) + len(missing)
        counts["skipped"] += len(missing)  # deleted since the key was listed
        for key, outcome in outcomes:
            counts[_STATUS_COUNTER[outcome.status]] += 1
            counts["ambiguous"] += outcome.ambiguous
            counts["nonexistent"] += outcome.nonexistent
            if outcome.status == FAILED:
                report.failures.append((key_text(key), outcome.detail))
            elif outcome.status == CHANGED or (outcome.status == CONVERTED and outcome.detail):
                report.changed.append(key_text(key))

    def _fail_all(self, keys, report, reason):
        report.counts["scanned"] += len(keys)
        report.counts["failed"] += len(keys)
        report.failures.extend((key_text(key), reason) for key in keys)

    def _rollback(self, transaction):
        if not transaction:
            return
        try:
            self.client.rollback(request=_datastore_types.RollbackRequest(
                project_id=self.project, database_id=self.database, transaction=transaction))
        except api_exceptions.GoogleAPICallError:
            pass  # the transaction is gone already; nothing was written


def _chunks_by_group(keys, group_size):
    """Split keys (in key order) into runs touching at most ``group_size`` entity groups."""
    chunk, roots = [], set()
    for key in keys:
        root = (key.path[0].kind, key.path[0].id, key.path[0].name)
        if root not in roots and len(roots) >= group_size:
            yield chunk
            chunk, roots = [], set()
        roots.add(root)
        chunk.append(key)
    if chunk:
        yield chunk


def key_text(key):
    """``Parent:'a'/Kind:5`` (with ``[namespace]`` when not the default) for reports."""
    parts = []
    for element in key.path:
        ident = repr(element.name) if element.name else str(element.id)
        parts.append("%s:%s" % (element.kind, ident))
    namespace = key.partition_id.namespace_id
    return ("[%s]" % namespace if namespace else "") + "/".join(parts)
