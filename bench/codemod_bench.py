"""Benchmark: db2ndb throughput against two libcst floors over the same files.

Not a test; nothing here fails on timing. The corpus is either real apps
(``--corpus DIR``: any folder of Python 2 App Engine code, e.g. checkouts of
the apps in bench/real_apps.json; never committed here) or, by default, our
own fixtures: ``--copies`` copies of tests/codemods' legacy_app fixture plus
every program of the differential suite (tests/codemods/semantic/programs).
For each job count (default 1 and 2) it times, each pass in a fresh process:

* ``noop``     - libcst parse + print of every file;
* ``metadata`` - parse, resolve ScopeProvider and QualifiedNameProvider
  (every lazy qualified name evaluated), print: the floor any scope-aware
  libcst codemod pays;
* ``db2ndb``   - the real tool, ``--to ndb --check`` (discovery, the Python 2
  pass, indexing, all rules, verification of the output; nothing written).

db2ndb reads the corpus as given (Python 2 included, as users run it); the
floors cannot parse Python 2, so they read the same files after fissix.
Each pass runs ``--repeat`` times, interleaved; the median is reported as
files/s and lines/s, db2ndb's rate as a fraction of each floor, the same
ratio in CPU seconds (the pass's process and its pool workers; it stays
meaningful on a machine shared with other work), and the peak resident
memory of one job (the process with one job; the largest worker with
several, the parent's own peak beside it). Goals (issue 16): db2ndb >= 1.0x
the metadata floor with one job, scaling >= 0.8 x N with N jobs.

    .venv/bin/python bench/codemod_bench.py [--corpus DIR] [--copies 5] [--repeat 3]
        [--jobs 1 2] [--markdown FILE] [--docs docs/performance.md]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

FIXTURE = ROOT / "tests" / "codemods" / "fixtures" / "legacy_app" / "input"
PROGRAMS = ROOT / "tests" / "codemods" / "semantic" / "programs"
PASSES = ("noop", "metadata", "db2ndb")
MARKER = "codemod-bench"


# -- the corpus ------------------------------------------------------------------------
def _fixture_sources() -> dict:
    """``{relative path: (text, bytes)}`` of the fallback corpus's unit: the legacy_app fixture and the differential programs."""
    sources = {}
    for path in FIXTURE.rglob("*.py"):
        relative = path.relative_to(FIXTURE)
        if relative.parts[0] in ("generated", "lib") or path.name.startswith("ignored_"):
            continue
        sources[Path("app") / relative] = (path.read_text(encoding="utf-8"), path.read_bytes())
    for path in sorted(PROGRAMS.glob("*.py")):
        sources[Path("programs") / path.name] = (path.read_text(encoding="utf-8"), path.read_bytes())
    return sources


def _corpus_sources(corpus: Path) -> dict:
    """``{relative path: (text, bytes)}`` of the files db2ndb would process under ``corpus``."""
    from codemods.runner.discovery import discover
    from codemods.runner.files import decode_source, read_bytes

    sources = {}
    for path in discover([str(corpus)]).files:
        try:
            data, _ = read_bytes(str(path))
            text, _ = decode_source(data)
        except (OSError, UnicodeDecodeError, SyntaxError):
            continue
        sources[path.relative_to(corpus)] = (text, data)
    return sources


def build_corpus(target: Path, sources: dict, copies: int):
    """Write the corpus twice: as given (db2ndb's input) and after fissix (the floors'). Return (db2ndb folder, floor files, lines).

    Files the floors cannot read (not Python even after fissix) are left out
    of both sides.
    """
    import libcst as cst

    from codemods.runner.py2 import fix_py2, looks_like_py2

    given, fixed = target / "given", target / "fixed"
    floor_files, lines = [], 0
    for relative, (text, data) in sorted(sources.items()):
        try:
            python3 = fix_py2(text, str(relative)) if looks_like_py2(text) else text
            cst.parse_module(python3)
        except Exception:  # noqa: BLE001 - whatever fissix or libcst refuses is not in the corpus
            continue
        for copy in range(copies):
            for folder, content in ((given, data), (fixed, python3.encode("utf-8"))):
                out = folder / f"copy{copy}" / relative
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(content)
            floor_files.append(str(fixed / f"copy{copy}" / relative))
            lines += len(text.splitlines())
    return given, floor_files, lines


# -- one pass, measured in a process of its own -------------------------------------------
def _noop(path: str) -> int:
    import libcst as cst

    module = cst.parse_module(Path(path).read_text(encoding="utf-8"))
    return len(module.code)


def _metadata(path: str) -> int:
    import libcst as cst
    from libcst.metadata import MetadataWrapper, QualifiedNameProvider, ScopeProvider

    module = cst.parse_module(Path(path).read_text(encoding="utf-8"))
    wrapper = MetadataWrapper(module)
    resolved = wrapper.resolve_many([ScopeProvider, QualifiedNameProvider])
    for value in resolved[QualifiedNameProvider].values():
        if callable(value):
            value()
    return len(wrapper.module.code)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (pool workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _floor(func, paths, jobs: int) -> None:
    if jobs == 1:
        for path in paths:
            func(path)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        list(pool.imap_unordered(func, paths, chunksize=4))
        pool.close()
        pool.join()


def _db2ndb(folder: str, jobs: int) -> int:
    from codemods.framework.options import RuleOptions
    from codemods.rules import ALL_RULES
    from codemods.runner.run import RunConfig, run

    config = RunConfig(paths=[folder], rule_ids=[r.ID for r in ALL_RULES if "ndb" in r.TARGETS],
                       options=RuleOptions(), mode="check", jobs=jobs, py2_mode="auto")
    return run(config).count("failed")


def measure(name: str, jobs: int, spec: dict) -> dict:
    """Run one pass in this process; wall and CPU seconds, peak RSS (KiB) of this process and of its largest worker."""
    import libcst  # noqa: F401 - imported before timing, like the tool's own start-up

    if name == "db2ndb":
        import codemods.rules  # noqa: F401

    start, cpu = time.perf_counter(), _cpu()
    failed = 0
    if name == "db2ndb":
        failed = _db2ndb(spec["folder"], jobs)
    else:
        _floor(_noop if name == "noop" else _metadata, spec["files"], jobs)
    return {
        "wall": time.perf_counter() - start,
        "cpu": _cpu() - cpu,
        "rss_self": _peak_rss_self(),
        "rss_workers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "failed": failed,
    }


def _peak_rss_self() -> int:
    """Peak resident memory (KiB) of this process since it started.

    ``VmHWM`` rather than ``getrusage``: Linux carries ``ru_maxrss`` over an
    exec, so a fresh process would report its parent's peak. Pool workers
    are forked, not exec'd: ``RUSAGE_CHILDREN`` is theirs.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _in_fresh_process(name: str, jobs: int, spec_path: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--measure", name, str(jobs), spec_path],
                            check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


# -- the report ------------------------------------------------------------------------------
def _mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def _rows(results: dict, jobs_list, files: int, lines: int) -> list:
    rows = []
    for jobs in jobs_list:
        median = {name: {key: statistics.median(r[key] for r in results[jobs][name])
                         for key in ("wall", "cpu", "rss_self", "rss_workers")} for name in PASSES}
        for name in PASSES:
            m = median[name]
            per_job = m["rss_self"] if jobs == 1 else m["rss_workers"]
            rows.append({
                "jobs": jobs, "pass": name, "files_s": files / m["wall"], "lines_s": lines / m["wall"],
                "vs_noop": median["noop"]["wall"] / m["wall"], "vs_metadata": median["metadata"]["wall"] / m["wall"],
                "cpu_vs_metadata": median["metadata"]["cpu"] / m["cpu"],
                "rss": _mib(per_job) + ("" if jobs == 1 else f" (parent {_mib(m['rss_self'])})"),
            })
    return rows


def render(rows: list, jobs_list, header: str) -> str:
    """The markdown block: header, table, scaling lines."""
    out = [header, "",
           "| jobs | pass | files/s | lines/s | vs noop floor | vs metadata floor | CPU vs metadata floor | peak RSS per job |",
           "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['jobs']} | {r['pass']} | {r['files_s']:.1f} | {r['lines_s']:.0f} | {r['vs_noop']:.2f}x "
                   f"| {r['vs_metadata']:.2f}x | {r['cpu_vs_metadata']:.2f}x | {r['rss']} |")
    rate = {(r["jobs"], r["pass"]): r["files_s"] for r in rows}
    if jobs_list and jobs_list[0] == 1:
        out.append("")
        for jobs in jobs_list[1:]:
            out.append(f"Scaling 1 -> {jobs} jobs (wall rate; goal >= {0.8 * jobs:.1f}x): "
                       f"db2ndb {rate[(jobs, 'db2ndb')] / rate[(1, 'db2ndb')]:.2f}x, "
                       f"metadata floor {rate[(jobs, 'metadata')] / rate[(1, 'metadata')]:.2f}x.")
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", metavar="DIR", help="a folder of real apps (default: our fixtures)")
    parser.add_argument("--copies", type=int, default=None,
                        help="copies of the corpus (default 5 for the fixtures, 1 for --corpus)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; the median is reported (default 3)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="job counts to measure (default 1 2)")
    parser.add_argument("--markdown", metavar="FILE", help="also write the results as a markdown block")
    parser.add_argument("--docs", metavar="FILE", help="replace the codemod-bench section of this file (docs/performance.md)")
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)  # internal: PASS JOBS SPEC
    args = parser.parse_args(argv)
    if args.measure:
        name, jobs, spec_path = args.measure
        print(json.dumps(measure(name, int(jobs), json.loads(Path(spec_path).read_text()))))
        return 0

    import _harness

    corpus = Path(args.corpus).resolve() if args.corpus else None
    copies = args.copies if args.copies is not None else (1 if corpus else 5)
    sources = _corpus_sources(corpus) if corpus else _fixture_sources()
    folder = Path(tempfile.mkdtemp(prefix="db2ndb-bench-"))
    try:
        given, floor_files, lines = build_corpus(folder, sources, copies)
        spec_path = folder / "spec.json"
        spec_path.write_text(json.dumps({"folder": str(given), "files": floor_files}))
        results = {jobs: {name: [] for name in PASSES} for jobs in args.jobs}
        loads = []
        for _ in range(args.repeat):
            for jobs in args.jobs:
                for name in PASSES:
                    loads.append(os.getloadavg()[0])
                    outcome = _in_fresh_process(name, jobs, str(spec_path))
                    if outcome["failed"]:
                        _harness.log(f"db2ndb failed on {outcome['failed']} files (counted in the timing)")
                    results[jobs][name].append(outcome)
                    _harness.log(f"jobs {jobs} {name}: {outcome['wall']:.1f} s wall, {outcome['cpu']:.1f} s CPU")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    files = len(floor_files)
    what = (f"{corpus.name}/ ({', '.join(sorted({p.parts[0] for p in sources}))})" if corpus
            else f"{copies} copies of the legacy_app fixture and the differential programs")
    header = (f"corpus: {files} files, {lines} lines ({what}); median of {args.repeat} runs, each pass in a fresh "
              f"process; load average during the runs {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores.")
    block = render(_rows(results, args.jobs, files, lines), args.jobs, header)
    print(block)
    if args.markdown:
        Path(args.markdown).write_text(block, encoding="utf-8")
    if args.docs:
        _harness.replace_section(args.docs, MARKER, "Measured %s on: %s.\n\n%s" % (
            time.strftime("%Y-%m-%d"), _harness.machine_description(), block))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
