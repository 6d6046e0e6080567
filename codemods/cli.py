"""The ``db2ndb`` command (also ``python -m codemods``).

    db2ndb [convert] [options] PATH...   rewrite files and folders in place
    db2ndb list [RULE...]                list the rules (or print one rule's documentation)
    db2ndb verify [options] SRC... [-- PYTEST_ARGS...]
                                         run the app's tests before and after conversion, compare
                                         (exit codes: docs/verify.md)

Exit codes:

    0  success: files rewritten, or (--check/--diff) nothing would change
    1  --check / --diff: at least one file would change
    2  usage error (unknown option or rule id, path that does not exist)
    3  at least one file failed (does not parse even after the Python 2
       fixers, output that would not compile, unreadable/unwritable); the other
       files were still processed
    4  --fail-on-todo: TODO(db2ndb) comments remain in the processed files
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional, Sequence

from codemods import __version__
from codemods.framework.options import DEFAULT_DOCS_URL, TARGET_COMPAT, TARGET_NDB, TARGETS, RuleOptions
from codemods.rules import ALL_RULES, RULES_BY_ID, select_rules
from codemods.runner.pipeline import MODE_CHECK, MODE_DIFF, MODE_WRITE, PY2_ALWAYS, PY2_AUTO, PY2_NEVER
from codemods.runner.report import report_json, summary_line, write_report
from codemods.runner.run import RunConfig, run

EXIT_OK = 0
EXIT_WOULD_CHANGE = 1
EXIT_USAGE = 2
EXIT_FAILED = 3
EXIT_TODOS = 4

#: ``--to shim`` is the name the README uses for ``--to compat``
TARGET_ALIASES = {"shim": TARGET_COMPAT}
TARGET_CHOICES = TARGETS + tuple(TARGET_ALIASES)
COMMANDS = ("convert", "list", "verify")


def _rule_list(values: Optional[List[str]]) -> List[str]:
    out: List[str] = []
    for value in values or []:
        out.extend(v.strip().upper() for v in value.split(",") if v.strip())
    return out


def _target(value: str) -> str:
    return TARGET_ALIASES.get(value, value)


def _add_conversion_options(parser: argparse.ArgumentParser) -> None:
    """The options a conversion takes (shared by ``convert`` and ``verify``)."""
    parser.add_argument("--to", choices=TARGET_CHOICES, default=TARGET_NDB, type=_target_choice,
                        help="ndb: idiomatic google-cloud-ndb (default); compat (or shim): only move imports to the shim")
    parser.add_argument("--only", action="append", metavar="RULE", help="run only these rules (repeatable, comma-separated)")
    parser.add_argument("--disable", action="append", metavar="RULE", help="do not run these rules (repeatable, comma-separated)")
    py2 = parser.add_mutually_exclusive_group()
    py2.add_argument("--py2", dest="py2", action="store_const", const=PY2_ALWAYS, default=PY2_AUTO,
                     help="run the Python 2 fixers (fissix) on every file (default: only files detected as Python 2)")
    py2.add_argument("--no-py2", dest="py2", action="store_const", const=PY2_NEVER, help="never run the Python 2 fixers")
    parser.add_argument("--key-partition", default="s~", metavar="PREFIX",
                        help="partition prefix of legacy urlsafe keys, for str(key) rewrites (default: s~)")
    parser.add_argument("--no-gitignore", action="store_true", help="do not skip files ignored by .gitignore")
    parser.add_argument("--docs-url", default=DEFAULT_DOCS_URL, help="where TODO comments link to (default: %(default)s)")


def _target_choice(value: str) -> str:
    """argparse ``type=``: lower-case the target; the alias is resolved after ``choices`` accepted it."""
    return value.lower()


def build_parser() -> argparse.ArgumentParser:
    """The ``db2ndb`` parser: the ``convert`` (default), ``list`` and ``verify`` subcommands."""
    parser = argparse.ArgumentParser(
        prog="db2ndb",
        description="Rewrite legacy App Engine `db` code to google-cloud-ndb (or onto the compat shim). "
        "`db2ndb PATH` is `db2ndb convert PATH`.",
        epilog="Docs: docs/codemods.md, docs/verify.md",
    )
    parser.add_argument("--version", action="version", version=f"db2ndb {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{convert,list,verify}")
    _build_convert(commands.add_parser(
        "convert", help="rewrite files and folders (the default command)",
        description="Rewrite legacy App Engine `db` code to google-cloud-ndb (or onto the compat shim).",
        epilog="exit codes: 0 ok, 1 --check/--diff would change files, 2 usage error, "
        "3 some files failed, 4 --fail-on-todo and TODOs remain. Docs: docs/codemods.md",
    ))
    _build_list(commands.add_parser("list", help="list the rules, or show the documentation of some",
                                    description="List the rules, or show the documentation of some."))
    from codemods.verify.cli import build_verify_parser

    build_verify_parser(commands.add_parser(
        "verify", help="run the app's tests before and after conversion and compare them",
        description="Copy the app twice, convert one copy, run the app's pytest suite on both "
        "(original through compat.install(), converted on google-cloud-ndb) against fresh emulators, "
        "and compare every test's outcome and stored entities. Arguments after `--` go to pytest.",
        epilog="exit codes: 0 every test identical, 1 some test differs, 2 usage error, 3 the conversion "
        "failed, 4 the tests could not run (collection error, no tests, emulator missing), 130 interrupted. "
        "Docs: docs/verify.md",
    ), _add_conversion_options)
    return parser


def _build_convert(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files and folders to rewrite")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print a unified diff, write nothing (exit 1 if anything would change)")
    mode.add_argument("--check", action="store_true", help="write nothing; list files that would change (exit 1 if any)")
    _add_conversion_options(parser)
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                        help="worker processes (default 1; 0 = one per CPU)")
    parser.add_argument("--report", metavar="FILE.json", help="write a JSON report (per file: rules applied, TODOs, failures)")
    parser.add_argument("--root", metavar="DIR", help="folder module names are computed from (default: common folder of PATHs)")
    parser.add_argument("--no-index-root", action="store_true",
                        help="when files are named, do not read the other files under the root to resolve models")
    parser.add_argument("--fail-on-todo", action="store_true", help="exit 4 if TODO(db2ndb) comments remain")
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_true", default=None,
                          help="show a progress bar on stderr (default: only on a terminal)")
    progress.add_argument("--no-progress", dest="progress", action="store_false")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary line")


def _build_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rules", nargs="*", metavar="RULE")
    parser.add_argument("--to", choices=TARGET_CHOICES, type=_target_choice, help="only the rules of this target")
    parser.add_argument("--markdown", action="store_true", help="print the rules section of docs/codemods.md")


def _list_command(args: argparse.Namespace) -> int:
    args.to = _target(args.to) if args.to else None
    if args.markdown:
        from codemods.docs import rules_markdown

        print(rules_markdown(r for r in ALL_RULES if not args.to or args.to in r.TARGETS))
        return EXIT_OK
    if args.rules:
        for rule_id in args.rules:
            rule = RULES_BY_ID.get(rule_id.upper())
            if rule is None:
                print(f"db2ndb list: unknown rule {rule_id!r}", file=sys.stderr)
                return EXIT_USAGE
            print(f"{rule.ID}  [{', '.join(sorted(rule.TARGETS))}]\n")
            print(rule.describe())
            print()
        return EXIT_OK
    for rule in ALL_RULES:
        if args.to and args.to not in rule.TARGETS:
            continue
        print(f"{rule.ID}  {'/'.join(sorted(rule.TARGETS)):<11} {rule.TITLE}")
    return EXIT_OK


def _with_command(argv: List[str]) -> List[str]:
    """``db2ndb PATH ...`` (today's usage) means ``db2ndb convert PATH ...``."""
    if not argv or argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version"):
        return argv
    return ["convert"] + argv


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of ``db2ndb``; returns the exit code."""
    argv = _with_command(list(sys.argv[1:] if argv is None else argv))
    pytest_args: List[str] = []
    if argv and argv[0] == "verify" and "--" in argv:
        cut = argv.index("--")
        argv, pytest_args = argv[:cut], argv[cut + 1:]
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "list":
        return _list_command(args)
    if args.command == "verify":
        from codemods.verify.cli import verify_command

        args.to = _target(args.to)
        return verify_command(args, pytest_args, _rule_list, parser)
    return _convert_command(args, parser)


def _convert_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    args.to = _target(args.to)
    try:
        rules = select_rules(args.to, _rule_list(args.only), _rule_list(args.disable))
    except ValueError as error:
        parser.error(str(error))
    if args.jobs < 0:
        parser.error("--jobs must be 0 or more")
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    mode = MODE_DIFF if args.diff else MODE_CHECK if args.check else MODE_WRITE
    jobs = args.jobs or os.cpu_count() or 1
    show_progress = args.progress if args.progress is not None else sys.stderr.isatty()
    options = RuleOptions(target=args.to, key_partition=args.key_partition, docs_url=args.docs_url)
    config = RunConfig(
        paths=args.paths, rule_ids=[r.ID for r in rules], options=options, mode=mode, jobs=jobs,
        py2_mode=args.py2, root=args.root, use_gitignore=not args.no_gitignore, progress=show_progress,
        index_root=not args.no_index_root,
    )
    result = run(config)

    out = sys.stdout
    for item in result.files:
        if item.status == "failed":
            print(f"error: {item.path}: {item.error}", file=sys.stderr)
        elif item.status == "changed":
            if mode == MODE_DIFF and item.diff:
                out.write(item.diff)
            elif mode == MODE_CHECK:
                print(f"would rewrite {item.path}", file=out)
            elif not args.quiet:
                print(f"rewrote {item.path}", file=out)
        if not args.quiet and mode != MODE_DIFF:
            for todo in item.todos:
                print(f"{item.path}:{todo['line']}: TODO {todo['rule']}: {todo['message']}", file=out)
    if args.report:
        write_report(args.report, report_json(result, args.to, mode, [r.ID for r in rules]))
    print(summary_line(result, mode), file=sys.stderr)

    if result.count("failed"):
        return EXIT_FAILED
    if mode in (MODE_DIFF, MODE_CHECK) and result.count("changed"):
        return EXIT_WOULD_CHANGE
    if args.fail_on_todo and result.todos:
        return EXIT_TODOS
    return EXIT_OK
