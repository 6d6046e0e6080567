"""``python -m compat.capabilities``: declare, clear and inspect planned maintenance.

Examples::

    python -m compat.capabilities set --message "Read-only for an upgrade" --start +30m --duration 1h
    python -m compat.capabilities status
    python -m compat.capabilities clear

The switch is the Datastore entity every instance reads (``--file PATH``
writes a JSON declaration for :envvar:`COMPAT_READ_ONLY_FILE` instead).
Set it before writes go off. Exit status: 0 done, 1 the store could not be
read or written, 2 bad arguments.
"""

import argparse
import datetime
import json
import sys

from compat.capabilities import admin
from compat.capabilities.maintenance import MaintenanceError, parse_duration, parse_when
from compat.capabilities.monitor import get_monitor


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m compat.capabilities",
        description="Declare, clear and inspect planned read-only maintenance of datastore writes.",
    )
    parser.add_argument("--project", help="project of the maintenance entity (default: from the environment)")
    parser.add_argument("--namespace", help="namespace of the maintenance entity (default: "
                        "COMPAT_MAINTENANCE_NAMESPACE or the default namespace)")
    parser.add_argument("--database", help="database id (default: the default database)")
    parser.add_argument("--file", help="use this JSON file instead of the Datastore entity")
    commands = parser.add_subparsers(dest="command", required=True)

    set_parser = commands.add_parser("set", help="declare a read-only window")
    set_parser.add_argument("--message", required=True, help="admin message shown to users")
    set_parser.add_argument("--start", help="when writes go off: now (default), +30m, or ISO 8601 with zone")
    when = set_parser.add_mutually_exclusive_group()
    when.add_argument("--end", help="when writes come back: +2h or ISO 8601 with zone (default: until cleared)")
    when.add_argument("--duration", help="length of the window, e.g. 45m (instead of --end)")

    commands.add_parser("clear", help="remove the declared window")
    status_parser = commands.add_parser("status", help="show the declaration and this process's view")
    status_parser.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _fmt(value):
    return value.isoformat() if value is not None else "-"


def _set(args, store, now):
    start = parse_when(args.start, now, "start") if args.start else None
    if args.duration:
        end = (start or now) + parse_duration(args.duration)
    else:
        end = parse_when(args.end, now, "end") if args.end else None
    if end is not None and end <= now:
        raise MaintenanceError("maintenance end %s is in the past" % end.isoformat())
    if start is not None and start <= now:
        start = None  # "now" or a past start: active at once
    declared = admin.declare_maintenance(args.message, start=start, end=end, store=store)
    print("Declared read-only maintenance in %s:" % store.describe())
    print("  message: %s\n  start:   %s\n  end:     %s" % (
        declared.message, _fmt(declared.start) if declared.start else "now", _fmt(declared.end)))
    print("Instances pick it up within %.0f s." % get_monitor().settings.maintenance_cache_seconds)
    return 0


def _status(args, store):
    declared = store.read()
    status = get_monitor().write_status()
    if args.json:
        print(json.dumps({
            "store": store.describe(),
            "declared": declared.to_json() if declared else None,
            "writes": {
                "status": status.status_name,
                "enabled": status.enabled,
                "admin_message": status.admin_message,
                "time_until_scheduled": status.time_until_scheduled,
                "retry_after": status.retry_after,
                "reasons": list(status.reasons),
            },
        }, indent=2))
        return 0
    print("Store: %s" % store.describe())
    if declared is None:
        print("Declared maintenance: none")
    else:
        print("Declared maintenance: %s" % declared.message)
        print("  start: %s  end: %s  by %s at %s" % (
            _fmt(declared.start) if declared.start else "immediately", _fmt(declared.end),
            declared.updated_by or "?", _fmt(declared.updated_at)))
    line = "Datastore writes (this process): %s" % status.status_name
    if status.reasons:
        line += " (%s)" % ", ".join(status.reasons)
    print(line)
    if status.time_until_scheduled is not None:
        print("  maintenance starts in %.0f s" % status.time_until_scheduled)
    return 0


def main(argv=None):
    """Run the CLI; returns the exit status."""
    args = _parser().parse_args(argv)
    now = datetime.datetime.now(datetime.timezone.utc)
    try:
        store = admin.default_store(file=args.file, project=args.project, namespace=args.namespace,
                                    database=args.database)
        if args.command == "set":
            return _set(args, store, now)
        if args.command == "clear":
            admin.clear_maintenance(store=store)
            print("Cleared read-only maintenance in %s." % store.describe())
            return 0
        return _status(args, store)
    except MaintenanceError as error:
        print("error: %s" % error, file=sys.stderr)
        return 2
    except Exception as error:  # transport / credential problems: say what and where
        print("error: %s failed: %s: %s" % (args.command, type(error).__name__, error), file=sys.stderr)
        if args.command in ("set", "clear") and not args.file:
            print("If datastore writes are already disabled, the switch cannot be written: "
                  "set COMPAT_READ_ONLY=on on the instances, or use --file with COMPAT_READ_ONLY_FILE.",
                  file=sys.stderr)
        return 1
