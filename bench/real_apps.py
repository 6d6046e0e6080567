"""db2ndb on whole real apps: both targets, every bar of issue 14 checked, figures per app.

The apps are public Python 2 App Engine apps named in bench/real_apps.json
(repository and commit). Their code is never committed here: give a folder
of checkouts (``--apps DIR``, one sub-folder per app name), or let the
script make them from local git mirrors (``--mirror DIR`` holding
``owner+name/repo``, e.g. what the search tool's ``fetch`` leaves in
/work/.mirror)::

    .venv/bin/python bench/real_apps.py --mirror /work/.mirror --markdown out.md
    .venv/bin/python bench/real_apps.py --apps /tmp/apps --only micolog,twidao

For each app and each target (``--to ndb``, ``--to compat``), on a fresh
copy of the checkout:

1. ``db2ndb APP --to T --report`` (one run over the whole app);
2. every processed file compiles under Python 3;
3. no file was refused that Python 2 accepts. There is no Python 2
   interpreter here: the oracle is fissix's Python 2 grammar (with and
   without the print statement, as lib2to3 parses), after decoding the way
   Python 2 did (coding cookie or BOM, else ASCII only);
4. ``db2ndb APP --to T --check`` right after exits 0, and a second run
   changes no file;
5. no line names ``google.appengine.ext.db``: no import, no dotted string
   (``mock.patch('google.appengine.ext.db.Model.put')``);
6. the model modules (files defining classes based on ``*Model`` /
   ``Expando`` / ``PolyModel``) import under Python 3 and each model class
   does a put / get / query round trip on the Datastore emulator
   (bench/real_apps_models.py; the modules the environment lacks, App
   Engine APIs and bundled libraries, are stubbed and listed).

This is an audit tool, not part of ``make test`` (CI has no access to the
apps' repositories). It prints a markdown table; ``--json`` keeps everything.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from codemods.runner.files import decode_source, read_bytes  # noqa: E402
from codemods.runner.loading import sys_path_roots  # noqa: E402

TARGETS = ("ndb", "compat")
_LEGACY_STRING = re.compile(r"google\.appengine\.ext\.db(\.[A-Za-z_]\w*)*")
_MODEL_BASE = re.compile(r"(Model|Expando|PolyModel)$")
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


# -- checkouts ---------------------------------------------------------------------------------


def checkout(app: dict, mirrors, clones: Path, dest: Path) -> None:
    """Extract the app (and its submodules) at the manifest's commit from a local git mirror or a clone."""
    try:
        _archive(mirrors, clones, app["repo"], app["commit"], dest)
        for path, sub in app.get("submodules", {}).items():
            _archive(mirrors, clones, sub["repo"], sub["commit"], dest / path)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise


def _archive(mirrors, clones: Path, repo: str, commit: str, dest: Path) -> None:
    git_dir = _git_dir(mirrors, clones, repo, commit)
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", f"--git-dir={git_dir}", "archive", commit], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)


def _git_dir(mirrors, clones: Path, repo: str, commit: str) -> Path:
    """The git directory holding ``commit`` of ``repo``: a mirror (``owner+name/repo``), else a ``git clone``.

    The clone goes to ``clones`` (mirrors are only read). Raises
    ``Unavailable`` when there is no mirror and the clone fails (no network,
    e.g. on CI) or the commit is missing.
    """
    folder = repo.replace("/", "+")
    base = next((m / folder / "repo" for m in mirrors if (m / folder / "repo").exists()), clones / folder / "repo")
    if not base.exists():
        base.parent.mkdir(parents=True, exist_ok=True)
        print(f"cloning {repo} into {base}", file=sys.stderr, flush=True)
        cloned = subprocess.run(["git", "clone", "--quiet", "--bare", f"https://github.com/{repo}.git", str(base)],
                                capture_output=True, text=True, env=dict(os.environ, GIT_TERMINAL_PROMPT="0"))
        if cloned.returncode:
            shutil.rmtree(base, ignore_errors=True)
            last = (cloned.stderr.strip().splitlines() or ["?"])[-1]
            raise Unavailable(f"{repo}: no mirror and git clone failed ({last})")
    git_dir = base / ".git" if (base / ".git").is_dir() else base
    known = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "-e", f"{commit}^{{commit}}"],
                           capture_output=True)
    if known.returncode:
        raise Unavailable(f"{repo}: commit {commit[:12]} is not in {git_dir}")
    return git_dir


class Unavailable(Exception):
    """An app of the manifest that cannot be checked out here (the run skips it and says why)."""


# -- checks -----------------------------------------------------------------------------------


def python2_accepts(data: bytes) -> bool:
    """The Python 2 oracle: decodes as Python 2 did and parses with fissix's Python 2 grammar."""
    from fissix import pygram, pytree
    from fissix.pgen2 import driver

    if data.startswith(b"\xef\xbb\xbf"):
        encoding, data = "utf-8", data[3:]
    else:
        encoding = "ascii"
        for line in data.splitlines()[:2]:
            match = _COOKIE.match(line)
            if match:
                encoding = match.group(1).decode("ascii")
                break
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return False
    text = text if text.endswith("\n") else text + "\n"
    for grammar in (pygram.python_grammar, pygram.python_grammar_no_print_statement):
        try:
            driver.Driver(grammar, convert=pytree.convert).parse_string(text)
            return True
        except Exception:  # ParseError, TokenError, IndentationError
            continue
    return False


def compile_problem(path: Path):
    """None if the file compiles under Python 3, else the error."""
    try:
        data, _ = read_bytes(path)
        text, _ = decode_source(data)
        compile(text, str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError, OSError, UnicodeDecodeError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def legacy_lines(path: Path) -> list:
    """``[line numbers]`` of imports or dotted strings naming google.appengine.ext.db."""
    try:
        tree = ast.parse(decode_source(read_bytes(path)[0])[0])
    except (SyntaxError, ValueError, OSError):
        return []
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            if module.startswith("google.appengine.ext.db") or (
                module == "google.appengine.ext" and any(a.name == "db" for a in node.names)
            ):
                lines.add(node.lineno)
        elif isinstance(node, ast.Import):
            if any(a.name.startswith("google.appengine.ext.db") for a in node.names):
                lines.add(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _LEGACY_STRING.fullmatch(node.value.strip()):
                lines.add(node.lineno)
    return sorted(lines)


def model_modules(app_dir: Path, files) -> tuple:
    """``({module name: path}, extra sys.path folders)`` of the files defining model classes."""
    sources = {}
    for path in files:
        try:
            sources[str(path)] = decode_source(read_bytes(path)[0])[0]
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
    roots = sorted(sys_path_roots(sources) | {str(app_dir)}, key=len, reverse=True)
    modules = {}
    for path, text in sources.items():
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        if not any(isinstance(n, ast.ClassDef) and any(_MODEL_BASE.search(ast.unparse(b)) for b in n.bases)
                   for n in ast.walk(tree)):
            continue
        name = _module_name(path, roots)
        if name is not None:
            modules[name] = path
    extra = [r for r in roots if r != str(app_dir)]
    return dict(sorted(modules.items())), extra


def marked_classes(path: str) -> set:
    """Names of the classes whose body carries a ``TODO(db2ndb`` comment (code db2ndb left to the user)."""
    text = decode_source(read_bytes(path)[0])[0]
    lines = text.splitlines()
    out = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            if any("TODO(db2ndb" in line for line in lines[node.lineno - 1: node.end_lineno]):
                out.add(node.name)
    return out


def _module_name(path: str, roots) -> str | None:
    for root in roots:
        if not path.startswith(root + os.sep):
            continue
        parts = os.path.relpath(path, root)[:-3].split(os.sep)
        folders = [os.path.join(root, *parts[:i]) for i in range(1, len(parts))]
        if all(os.path.isfile(os.path.join(f, "__init__.py")) for f in folders):
            if parts[-1] == "__init__":
                parts = parts[:-1]
            return ".".join(parts) if parts else None
    return None


# -- one app, one target --------------------------------------------------------------------------


def _db2ndb(app_dir: Path, target: str, jobs: int, *extra) -> tuple:
    report = Path(tempfile.mkstemp(suffix=".json")[1])
    command = [sys.executable, "-m", "codemods", str(app_dir), "--to", target, "-q", "--no-progress",
               "--jobs", str(jobs), "--report", str(report), *extra]
    done = subprocess.run(command, capture_output=True, text=True, cwd=str(HERE.parent))
    try:
        data = json.loads(report.read_text()) if report.stat().st_size else {}
    finally:
        report.unlink()
    return done.returncode, data, done.stderr.strip().splitlines()[-1:] or [""]


def audit(app: dict, pristine: Path, target: str, work: Path, jobs: int, emulator) -> dict:
    """Convert a fresh copy of the app with ``target`` and check every bar."""
    app_dir = work / f"{app['name']}-{target}"
    if app_dir.exists():
        shutil.rmtree(app_dir)
    shutil.copytree(pristine, app_dir, symlinks=True)
    started = time.monotonic()
    code, report, summary = _db2ndb(app_dir, target, jobs)
    seconds = time.monotonic() - started
    files = [_absolute(f["path"]) for f in report.get("files", [])]
    result = {"app": app["name"], "target": target, "exit": code, "summary": summary[0], "seconds": round(seconds, 1),
              "files": len(files), "skipped": report.get("summary", {}).get("skipped", 0),
              "todos": report.get("summary", {}).get("todos", 0)}
    result["lines"] = sum(_line_count(pristine / f.relative_to(app_dir)) for f in files)
    failed = [(_absolute(f["path"]), f["error"]) for f in report.get("files", []) if f["status"] == "failed"]
    refused = []
    for path, error in failed:
        relative = path.relative_to(app_dir)
        original = read_bytes(pristine / relative)[0]
        refused.append({"path": str(relative), "error": error, "python2_accepts": python2_accepts(original)})
    result["refused"] = refused
    result["refused_valid_py2"] = sum(1 for r in refused if r["python2_accepts"])
    # files Python 2 itself refuses are not db2ndb's output: they are left untouched and reported
    invalid = {r["path"] for r in refused if not r["python2_accepts"]}
    result["invalid_in_py2"] = sorted(invalid)
    outputs = [f for f in files if str(f.relative_to(app_dir)) not in invalid]
    problems = {str(f.relative_to(app_dir)): compile_problem(f) for f in outputs}
    result["not_compiling"] = {k: v for k, v in problems.items() if v}
    result["compile_pct"] = round(100.0 * (len(outputs) - len(result["not_compiling"])) / max(1, len(outputs)), 2)
    check_code, check_report, _ = _db2ndb(app_dir, target, jobs, "--check")
    result["check_exit"] = check_code
    result["check_would_change"] = [f["path"] for f in check_report.get("files", []) if f["status"] == "changed"]
    _, second, _ = _db2ndb(app_dir, target, jobs)
    result["second_run_changed"] = [f["path"] for f in second.get("files", []) if f["status"] == "changed"]
    result["legacy_left"] = {str(f.relative_to(app_dir)): lines for f in files if (lines := legacy_lines(f))}
    result.update(_round_trip(app_dir, target, files, emulator))
    return result


def _absolute(reported: str) -> Path:
    """A path of db2ndb's report (relative to the folder it ran in) as an absolute one."""
    return Path(os.path.normpath(os.path.join(str(HERE.parent), reported)))


def _line_count(path: Path) -> int:
    try:
        return read_bytes(path)[0].count(b"\n")
    except OSError:
        return 0


def _round_trip(app_dir: Path, target: str, files, emulator) -> dict:
    modules, extra = model_modules(app_dir, files)
    if emulator is None or not modules:
        return {"model_modules": {m: "not run" for m in modules}, "classes": {}, "stubbed": []}
    emulator.reset()
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    command = [sys.executable, str(HERE / "real_apps_models.py"), str(app_dir), "--target", target, "--out", str(out)]
    for folder in extra:
        command += ["--path", folder]
    env = dict(os.environ, **emulator.environ())
    env["PYTHONPATH"] = str(HERE.parent)
    done = subprocess.run(command + list(modules), capture_output=True, text=True, env=env, timeout=600)
    try:
        data = json.loads(out.read_text()) if out.stat().st_size else {}
    finally:
        out.unlink()
    if not data:
        return {"model_modules": {m: f"child failed: {done.stderr[-300:]}" for m in modules}, "classes": {}, "stubbed": []}
    for label, outcome in data["classes"].items():
        module, _, name = label.rpartition(".")
        outcome["todo_marked"] = name in marked_classes(modules[module])
    return {"model_modules": data["modules"], "classes": data["classes"], "stubbed": data["stubbed"]}


# -- report ---------------------------------------------------------------------------------------


def markdown(results, apps) -> str:
    """The per-app table of docs/codemods.md."""
    era = {a["name"]: a for a in apps}
    lines = [
        "| app (commit) | target | files | lines | compile | refused (valid in Py2) | `--check` exit | 2nd run changed "
        "| legacy `db` lines left | model modules import | classes round-trip (failing with a TODO) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        app = era[r["app"]]
        modules = r["model_modules"]
        classes = r["classes"]
        lines.append(
            f"| {r['app']} ({app['commit'][:7]}) | {r['target']} | {r['files']} | {r['lines']} | {r['compile_pct']:g} % "
            f"| {len(r['refused'])} ({r['refused_valid_py2']}) | {r['check_exit']}{_why(r)} | {len(r['second_run_changed'])} "
            f"| {sum(len(v) for v in r['legacy_left'].values())} "
            f"| {sum(1 for v in modules.values() if v == 'ok')}/{len(modules)} "
            f"| {sum(1 for v in classes.values() if v['ok'])}/{len(classes)} "
            f"({sum(1 for v in classes.values() if not v['ok'] and v.get('todo_marked'))}) |"
        )
    stubbed = {}
    for r in results:
        stubbed.setdefault(r["app"], set()).update(r["stubbed"])
    lines.append("")
    lines.append("Stubbed in the round trip (the environment lacks them):")
    lines.append("")
    for name, modules in stubbed.items():
        appengine = [m for m in _top(modules) if m.startswith("google.")]
        others = [m for m in _top(modules) if not m.startswith("google.")]
        lines.append(f"- {name}: App Engine APIs: {', '.join(appengine) or 'none'}; "
                     f"libraries: {', '.join(others) or 'none'}")
    return "\n".join(lines) + "\n"


def _why(result) -> str:
    """Why ``--check`` exited 3: files that Python 2 refuses too (db2ndb leaves them and says so)."""
    if result["check_exit"] == 3 and result["invalid_in_py2"] and not result["check_would_change"]:
        return f" ({len(result['invalid_in_py2'])} invalid in Python 2)"
    return ""


def _top(modules):
    """The stubbed names worth listing: App Engine APIs by their own module, libraries by top-level name."""
    names = set(modules)
    appengine = sorted(n for n in names if n.startswith("google.") and not any(o.startswith(n + ".") for o in names))
    libraries = sorted({n.partition(".")[0] for n in names if not n.startswith("google.") and n != "google"})
    return appengine + libraries


DOCS_START = "<!-- real-apps:start -->"
DOCS_END = "<!-- real-apps:end -->"


def write_docs(page: Path, table: str) -> None:
    """Replace the generated table between the real-apps markers of ``page`` (docs/codemods.md)."""
    text = page.read_text(encoding="utf-8")
    start, end = text.index(DOCS_START), text.index(DOCS_END)
    page.write_text(text[: start + len(DOCS_START)] + "\n" + table + text[end:], encoding="utf-8")


def missed_bars(result) -> list:
    """The bars of issue 14 this app/target misses (empty: every bar met)."""
    checks = {
        "compile": result["compile_pct"] < 100,
        "refused valid Python 2": bool(result["refused_valid_py2"]),
        "--check": bool(result["check_exit"]) and not _why(result),
        "second run": bool(result["second_run_changed"]),
        "legacy db left": bool(result["legacy_left"]),
        "model import": any(v != "ok" for v in result["model_modules"].values()),
        "round trip": any(not v["ok"] for v in result["classes"].values()),
    }
    return [name for name, missed in checks.items() if missed]


def main(argv=None) -> int:
    """Audit every app of the manifest (or ``--only``); exit 1 if any bar is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=Path, help="folder of checkouts, one sub-folder per app name")
    parser.add_argument("--mirror", type=Path, action="append", default=[],
                        help="folder of git mirrors (owner+name/repo) to check the apps out from (repeatable)")
    parser.add_argument("--clones", type=Path, default=HERE.parent / ".real-apps" / "clones",
                        help="where `git clone` puts an app no mirror holds (default: .real-apps/clones)")
    parser.add_argument("--manifest", type=Path, default=HERE / "real_apps.json")
    parser.add_argument("--only", help="comma-separated app names")
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, help="where the converted copies go (default: a temporary folder)")
    parser.add_argument("--no-round-trip", action="store_true", help="skip the emulator round trip")
    parser.add_argument("--json", type=Path, help="write every result as JSON")
    parser.add_argument("--markdown", type=Path, help="write the table as markdown")
    parser.add_argument("--docs", type=Path, help="replace the generated table of this page (docs/codemods.md)")
    parser.add_argument("--from-json", type=Path, nargs="+",
                        help="audit nothing: render the table from the --json files of earlier runs")
    args = parser.parse_args(argv)

    apps = json.loads(args.manifest.read_text())["apps"]
    if args.from_json:
        order = [a["name"] for a in apps]
        results = [r for path in args.from_json for r in json.loads(path.read_text())]
        results.sort(key=lambda r: (order.index(r["app"]), TARGETS.index(r["target"])))
        return _report(results, apps, {}, args)
    if args.only:
        wanted = set(args.only.split(","))
        apps = [a for a in apps if a["name"] in wanted]
    work = args.work or Path(tempfile.mkdtemp(prefix="db2ndb-real-apps-"))
    checkouts = args.apps or work / "checkouts"
    available, unavailable = [], {}
    for app in apps:
        if not (checkouts / app["name"]).exists():
            try:
                checkout(app, args.mirror, args.clones, checkouts / app["name"])
            except Unavailable as why:
                unavailable[app["name"]] = str(why)
                print(f"skipped {app['name']}: {why}", file=sys.stderr, flush=True)
                continue
        available.append(app)
    if not available:
        print("no app of the manifest could be checked out here: nothing audited", file=sys.stderr)
        return 0

    from contextlib import nullcontext

    from compat.testing.emulator import running_emulator

    results = []
    with (nullcontext(None) if args.no_round_trip else running_emulator()) as emulator:
        for app in available:
            for target in args.targets.split(","):
                result = audit(app, checkouts / app["name"], target, work, args.jobs, emulator)
                results.append(result)
                print(json.dumps({k: result[k] for k in ("app", "target", "files", "compile_pct", "check_exit",
                                                         "refused_valid_py2", "seconds")}
                                 | {"missed": missed_bars(result)}), flush=True)
    return _report(results, apps, unavailable, args)


def _report(results, apps, unavailable, args) -> int:
    """Print / write the table (and the JSON); 1 if any bar is missed."""
    table = markdown(results, apps)
    if unavailable:
        table += "\nNot audited (could not be checked out): " + "; ".join(unavailable.values()) + "\n"
    print(table)
    if args.markdown:
        args.markdown.write_text(table)
    if args.docs:
        write_docs(args.docs, table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return 1 if any(missed_bars(r) for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
