"""The ``db2ndb verify`` subcommand: its options and what it prints."""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import sys
from typing import Callable, List

from codemods.verify.report import report_json, summary_lines, write_html, write_json
from codemods.verify.run import EXIT_INTERRUPTED, EXIT_USAGE, VerifyConfig, verify


def build_verify_parser(parser: argparse.ArgumentParser, add_conversion_options: Callable) -> None:
    """The options of ``db2ndb verify`` (the conversion options are ``convert``'s)."""
    parser.add_argument("sources", nargs="+", metavar="SRC", help="the app's files and folders (never modified)")
    add_conversion_options(parser)
    parser.add_argument("--tests", metavar="PATH",
                        help="the test folder or file pytest runs (default: the copied SRC trees); may lie beside SRC")
    parser.add_argument("--converted", metavar="DIR",
                        help="compare against this already converted copy of SRC (your migration branch, hand "
                        "edits included) instead of converting one; SRC must then be one folder")
    parser.add_argument("--report", metavar="FILE.json", help="write the full comparison as JSON")
    parser.add_argument("--html", metavar="FILE.html", help="write a one-page HTML report (CI artifact)")
    parser.add_argument("-j", "--jobs", default="auto", metavar="N",
                        help="pytest-xdist workers per side (default auto: half the CPUs when pytest-xdist is "
                        "installed, else 1); each worker has an emulator of its own")
    parser.add_argument("--time-tolerance", type=float, default=5.0, metavar="SECONDS",
                        help="timestamps written during a test match within this drift (default 5)")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="stop the test runs after this long (default: none)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list identical tests")


def _jobs(value: str) -> int:
    if value == "auto":
        if importlib.util.find_spec("xdist") is None:
            return 1
        return max(1, (os.cpu_count() or 1) // 2)
    jobs = int(value)
    if jobs > 1 and importlib.util.find_spec("xdist") is None:
        raise ValueError("--jobs %d needs pytest-xdist (pip install pytest-xdist)" % jobs)
    return max(1, jobs)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def verify_command(args: argparse.Namespace, pytest_args: List[str], rule_list: Callable,
                   parser: argparse.ArgumentParser) -> int:
    """Run ``db2ndb verify``; returns the exit code (docs/verify.md)."""
    from codemods.rules import select_rules

    missing = [p for p in args.sources + [args.tests, args.converted] if p and not os.path.exists(p)]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    if args.converted and (len(args.sources) != 1 or not os.path.isdir(args.sources[0]) or args.tests):
        parser.error("--converted takes one SRC folder holding its tests (no --tests)")
    try:
        select_rules(args.to, rule_list(args.only), rule_list(args.disable))
        jobs = _jobs(str(args.jobs))
    except ValueError as error:
        parser.error(str(error))
    config = VerifyConfig(
        sources=args.sources, target=args.to, tests=args.tests, pytest_args=pytest_args, jobs=jobs,
        time_tolerance=args.time_tolerance, timeout=args.timeout, converted=args.converted,
        convert_options={
            "only": rule_list(args.only), "disable": rule_list(args.disable), "py2_mode": args.py2,
            "use_gitignore": not args.no_gitignore,
            "rule_options": {"key_partition": args.key_partition, "docs_url": args.docs_url},
        },
    )
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = verify(config)
    except KeyboardInterrupt:
        print("db2ndb verify: interrupted; work directory and emulators removed", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)
    for line in summary_lines(result, args.verbose):
        print(line)
    if result.error and result.sides:
        for side, info in result.sides.items():
            if info["pytest_exit"] not in (0, 1):
                print("--- %s side (pytest exit %s) ---\n%s" % (side, info["pytest_exit"], info["log_tail"]),
                      file=sys.stderr)
    data = report_json(result, config)
    if args.report:
        write_json(args.report, data)
    if args.html:
        write_html(args.html, data)
    return result.exit_code if result.exit_code != EXIT_USAGE else EXIT_USAGE
