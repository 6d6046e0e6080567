"""The wall-clock-to-UTC migration as an Apache Beam pipeline (runs unchanged on Dataflow).

Install with ``pip install 'appengine-db-compat[beam]'``. Run::

    compat-tz-migrate-beam Entry -p created -p updated --from-zone Asia/Tokyo \\
        --project my-app --apply \\
        --runner DataflowRunner --region asia-northeast1 --temp_location gs://my-bucket/tmp \\
        --extra_package dist/appengine_db_compat-0.1.0.tar.gz

Shape of the pipeline:

1. ``ReadFromDatastore`` (Beam's ``apache_beam.io.gcp.datastore.v1new``
   connector) runs a **keys-only** query on the kind, split across workers by
   the connector's own query splitter.
2. ``Reshuffle``, then Beam's ``RampupThrottlingFn`` (the 500/50/5 ramp-up
   the connector's ``WriteToDatastore`` uses) when applying.
3. ``BatchElements`` (at most ``--group-size`` keys per batch).
4. For each batch, the same transactional rewrite as ``compat-tz-migrate``
   (:class:`compat.tz.migrate.runner.ChunkProcessor`): read the entities
   inside a transaction, rewrite the named timestamps on the raw protobuf,
   commit entities and markers together.

Why the writes do not go through the connector's ``WriteToDatastore``:
the connector's entity type ``apache_beam.io.gcp.datastore.v1new.types.Entity``
"does not support the property value meaning field" (its own docstring), and
it turns embedded entities without keys into plain dicts. A read/write round
trip through it therefore drops the legacy meanings (Text 15, Email 8, Link 2,
Rating 13, User 20, ...) and the embedded entities' index flags --
``tests/compat/tz/test_migrate_beam.py`` shows it. Its writes are also blind
upserts of what was read earlier, which would undo concurrent application
writes. The transactional rewrite keeps every byte it does not convert and
loses no concurrent write, and Beam's retries are harmless because of the
per-entity marker.

Counts are Beam metrics in the ``compat_tz_migrate`` namespace (scanned,
converted, skipped, already_migrated, changed_since_migration, failed,
ambiguous, nonexistent); the command prints them when the pipeline ends.
There is no checkpoint: a cancelled or failed job is simply run again (the
marker makes converted entities count as already migrated).
"""

import argparse
import logging
import sys

from compat import _discovery
from compat.tz.migrate import cli as _cli

METRICS_NAMESPACE = "compat_tz_migrate"
COUNTERS = ("scanned", "converted", "skipped", "already_migrated", "changed_since_migration",
            "failed", "ambiguous", "nonexistent")

_log = logging.getLogger(__name__)


def _require_beam():
    if _beam is None:
        raise ImportError(
            "The Beam migration needs Apache Beam: pip install 'appengine-db-compat[beam]' "
            "(apache-beam[gcp]). The single-machine command compat-tz-migrate needs nothing extra."
        )


class MigrationOptions:
    """What the pipeline migrates (plain values, picklable for Beam workers)."""

    def __init__(self, kind, properties, source_zone, project, namespace="", database="", apply=False,
                 marker=None, group_size=25, num_splits=0, hint_num_workers=500, throttle_rampup=True):
        from compat.tz.migrate.rewrite import DEFAULT_MARKER
        from compat.tz.zones import zone, zone_name

        self.kind = kind
        self.properties = list(properties)
        self.source_zone = zone_name(zone(source_zone))  # a name: workers rebuild the zone
        self.project = project
        self.namespace = namespace or ""
        self.database = database or ""
        self.apply = apply
        self.marker = marker or DEFAULT_MARKER
        self.group_size = group_size
        self.num_splits = num_splits
        self.hint_num_workers = hint_num_workers
        self.throttle_rampup = throttle_rampup


def build_pipeline(pipeline, options):
    """Add the migration to ``pipeline`` (a ``beam.Pipeline``); return the outcome PCollection."""
    _require_beam()
    import apache_beam as beam
    from apache_beam.io.gcp.datastore.v1new import datastoreio, types

    if options.database:
        raise ValueError("Beam's Datastore connector reads the default database only; "
                         "use compat-tz-migrate --database for a named database")
    query = types.Query(kind=options.kind, project=options.project,
                        namespace=options.namespace or None, projection=["__key__"])
    keys = (
        pipeline
        | "ReadKeys" >> datastoreio.ReadFromDatastore(query, num_splits=options.num_splits)
        | "KeyProtobufs" >> beam.Map(_key_protobuf_bytes)
        | "Spread" >> beam.Reshuffle()
    )
    if options.apply and options.throttle_rampup:
        from apache_beam.io.gcp.datastore.v1new.rampup_throttling_fn import RampupThrottlingFn

        keys = keys | "RampUp" >> beam.ParDo(RampupThrottlingFn(options.hint_num_workers))
    return (
        keys
        | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=options.group_size)
        | "Rewrite" >> beam.ParDo(_RewriteBatchFn(options))
    )


def _key_protobuf_bytes(entity):
    """A Beam ``types.Entity`` (keys-only) -> its key as serialized v1 protobuf bytes."""
    key = entity.key.to_client_key().to_protobuf()  # proto-plus
    return type(key).pb(key).SerializeToString()


try:  # Beam is an optional extra: the module imports without it, and says so when used.
    import apache_beam as _beam
except ImportError:  # pragma: no cover - exercised where the extra is absent
    _beam = None

if _beam is not None:
    from apache_beam.metrics import Metrics as _Metrics

    class _RewriteBatchFn(_beam.DoFn):
        """Rewrites one batch of keys with :class:`ChunkProcessor`; counts into Beam metrics."""

        def __init__(self, options):
            super().__init__()
            self.options = options
            self.counters = {name: _Metrics.counter(METRICS_NAMESPACE, name) for name in COUNTERS}

        def setup(self):
            from compat.tz.migrate import _api
            from compat.tz.migrate.rewrite import Rewriter
            from compat.tz.migrate.runner import ChunkProcessor
            from compat.tz.zones import zone

            rewriter = Rewriter(self.options.properties, zone(self.options.source_zone),
                                marker=self.options.marker)
            self.processor = ChunkProcessor(_api.make_client(), self.options.project, rewriter,
                                            apply=self.options.apply, database=self.options.database)

        def process(self, batch):
            from google.cloud.datastore_v1.types import entity as entity_types

            from compat.tz.migrate.runner import Report

            key_pb_class = entity_types.Key.pb()
            keys = [key_pb_class.FromString(data) for data in batch]
            report = Report(dry_run=not self.options.apply)
            self.processor.process(keys, report)
            for name in COUNTERS:
                if report.counts[name]:
                    self.counters[name].inc(report.counts[name])
            for key, reason in report.failures:
                _log.warning("failed %s: %s", key, reason)
                yield ("failed", key, reason)
            for key in report.changed:
                yield ("changed_since_migration", key, "")


def counts(result):
    """The migration's counters from a finished ``PipelineResult``, as a dict."""
    from apache_beam.metrics.metric import MetricsFilter

    found = dict.fromkeys(COUNTERS, 0)
    query = result.metrics().query(MetricsFilter().with_namespace(METRICS_NAMESPACE))
    for counter in query["counters"]:
        value = counter.committed if counter.committed is not None else counter.attempted
        found[counter.key.metric.name] += value or 0
    return found


def run(options, pipeline_args=()):
    """Build and run the pipeline, wait for it to finish, return its :func:`counts`."""
    _require_beam()
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    pipeline_options = PipelineOptions(list(pipeline_args))
    pipeline = beam.Pipeline(options=pipeline_options)
    build_pipeline(pipeline, options)
    result = pipeline.run()
    result.wait_until_finish()
    return counts(result)


def main(argv=None):
    """``compat-tz-migrate-beam``: parse our arguments, pass the rest to Beam; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="compat-tz-migrate-beam",
        description="The compat-tz-migrate rewrite as an Apache Beam pipeline. Arguments this "
                    "command does not know (--runner, --region, --temp_location, ...) go to Beam.")
    _cli.add_common_arguments(parser)
    parser.add_argument("--group-size", type=int, default=25, help="keys per transaction; default 25")
    parser.add_argument("--num-splits", type=int, default=0,
                        help="query splits for the read (0: let the connector decide)")
    parser.add_argument("--hint-num-workers", type=int, default=500,
                        help="expected workers, for the ramp-up throttle (each worker starts at "
                             "500/N writes a second, growing 50%% every 5 minutes); default 500")
    parser.add_argument("--no-throttle-rampup", action="store_true",
                        help="write at full speed from the start (small kinds, the emulator)")
    args, pipeline_args = parser.parse_known_args(argv)
    try:
        _require_beam()
        project = args.project or _discovery.default_project()
        if not project:
            raise ValueError("no project: pass --project")
        options = MigrationOptions(args.kind, args.properties, args.from_zone, project,
                                   namespace=args.namespace, database=args.database, apply=args.apply,
                                   marker=args.marker, group_size=args.group_size,
                                   num_splits=args.num_splits, hint_num_workers=args.hint_num_workers,
                                   throttle_rampup=not args.no_throttle_rampup)
    except (ImportError, ValueError) as error:
        print("compat-tz-migrate-beam: error: %s" % (error,), file=sys.stderr)
        return 2
    found = run(options, pipeline_args)
    verb = "converted" if args.apply else "would convert"
    print("scanned %d, %s %d, skipped %d, already migrated %d, changed since migration %d, failed %d"
          % (found["scanned"], verb, found["converted"], found["skipped"], found["already_migrated"],
             found["changed_since_migration"], found["failed"]))
    if not args.apply:
        print("Dry run: nothing was written. Add --apply to convert.")
    return 1 if found["failed"] else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
