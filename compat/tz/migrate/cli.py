"""``compat-tz-migrate`` / ``python -m compat.tz.migrate``: move wall-clock timestamps to UTC.

Example (dry run first, then for real)::

    compat-tz-migrate Entry --property created --property updated --from-zone Asia/Tokyo
    compat-tz-migrate Entry --property created --property updated --from-zone Asia/Tokyo --apply

Exit status: 0 when nothing failed, 1 when some entities failed (they are
listed and left untouched), 2 for bad arguments, 130 when interrupted (re-run
the same command to resume from the checkpoint).
"""

import argparse
import json
import sys

from compat.tz.errors import UnknownTimeZoneError
from compat.tz.migrate.checkpoint import DEFAULT_KIND
from compat.tz.migrate.rewrite import DEFAULT_MARKER


def build_parser():
    """The argument parser (shared with the Beam entry point)."""
    parser = argparse.ArgumentParser(
        prog="compat-tz-migrate",
        description="Rewrite one kind's naive wall-clock timestamps (e.g. Japan time stored by "
                    "legacy apps) to UTC. Dry run unless --apply. Only the named timestamp values "
                    "change; every other property, meaning and index flag is kept byte for byte.",
    )
    add_common_arguments(parser)
    parser.add_argument("--batch-size", type=int, default=500,
                        help="entities per batch (query page and checkpoint step); default 500")
    parser.add_argument("--group-size", type=int, default=25,
                        help="entity groups per transaction; default 25 (the emulator's limit; "
                             "Firestore in Datastore mode accepts up to 500)")
    parser.add_argument("--checkpoint-kind", default=DEFAULT_KIND,
                        help="kind of the checkpoint entity; default %s" % DEFAULT_KIND)
    parser.add_argument("--restart", action="store_true",
                        help="ignore the saved checkpoint and scan from the start "
                             "(safe: migrated entities are recognised by their marker)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def add_common_arguments(parser):
    """Arguments both the command and the Beam pipeline take."""
    parser.add_argument("kind", help="the kind to migrate")
    parser.add_argument("--property", "-p", dest="properties", action="append", required=True,
                        metavar="NAME", help="stored property name holding wall-clock time (repeatable)")
    parser.add_argument("--from-zone", required=True, metavar="ZONE",
                        help="IANA zone the values were written in, e.g. Asia/Tokyo")
    parser.add_argument("--project", help="project id (default: DATASTORE_PROJECT_ID, "
                                          "GOOGLE_CLOUD_PROJECT or the credentials' project)")
    parser.add_argument("--namespace", default="", help="namespace of the kind (default: the default namespace)")
    parser.add_argument("--database", default="", help="database id (default: the default database)")
    parser.add_argument("--marker", default=DEFAULT_MARKER,
                        help="name of the per-entity marker property; default %s" % DEFAULT_MARKER)
    parser.add_argument("--apply", action="store_true", help="write the changes (default: dry run)")


def main(argv=None, on_event=None):
    """Run the command; return the exit status."""
    args = build_parser().parse_args(argv)
    from compat.tz.migrate.runner import Migration  # after argument errors, which exit 2

    try:
        migration = Migration(
            args.kind, args.properties, args.from_zone, project=args.project,
            namespace=args.namespace, database=args.database, apply=args.apply,
            batch_size=args.batch_size, group_size=args.group_size, marker=args.marker,
            checkpoint_kind=args.checkpoint_kind, progress=not args.no_progress, on_event=on_event,
        )
    except (ValueError, UnknownTimeZoneError) as error:
        print("compat-tz-migrate: error: %s" % (error,), file=sys.stderr)
        return 2
    try:
        report = migration.run(restart=args.restart)
    except KeyboardInterrupt:
        print("\nInterrupted. Progress up to the last finished batch is saved; run the same command "
              "again to resume.", file=sys.stderr)
        return 130
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, sort_keys=True))
    else:
        print(report.summary())
    failed = report.counts["failed"] or (report.already_complete and (report.totals or {}).get("failed"))
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
