"""Benchmark: db2ndb throughput against two libcst floors over the same files.

Not a test. The corpus is the legacy_app fixture of tests/codemods (run
through the Python 2 fixers once, so the floors can parse it), replicated
``--copies`` times into a temporary folder. For 1 and 2 jobs it times:

* ``noop``     - libcst parse + print of every file;
* ``metadata`` - parse, resolve ScopeProvider and QualifiedNameProvider
  (every lazy qualified name evaluated), print: the floor of any codemod of
  this kind;
* ``db2ndb``   - the real tool in ``--check`` mode (discovery, indexing, all
  rules, verification of the output; nothing written).

Each is repeated ``--repeat`` times (the three passes interleaved); the
median is reported as files/s and lines/s, with db2ndb's rate as a fraction
of each floor, and the same ratio in CPU seconds (this process and its pool
workers), which stays meaningful on a machine shared with other work. Goal: db2ndb >= 0.5x
the metadata floor with one job, and near-linear scaling with jobs.

    .venv/bin/python bench/codemod_bench.py [--copies 40] [--repeat 3] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, QualifiedNameProvider, ScopeProvider

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from codemods.framework.options import RuleOptions  # noqa: E402
from codemods.rules import ALL_RULES  # noqa: E402
from codemods.runner.py2 import fix_py2, looks_like_py2  # noqa: E402
from codemods.runner.run import RunConfig, run  # noqa: E402

FIXTURE = ROOT / "tests" / "codemods" / "fixtures" / "legacy_app" / "input"


def build_corpus(target: Path, copies: int) -> list:
    """Replicate the fixture app ``copies`` times (as Python 3 legacy code); return the .py files."""
    sources = {}
    for path in FIXTURE.rglob("*.py"):
        relative = path.relative_to(FIXTURE)
        if relative.parts[0] in ("generated", "lib") or path.name.startswith("ignored_"):
            continue
        text = path.read_text(encoding="utf-8")
        sources[relative] = fix_py2(text) if looks_like_py2(text) else text
    files = []
    for copy in range(copies):
        for relative, text in sources.items():
            out = target / f"app{copy}" / relative
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            files.append(out)
    return files


def _noop(path: str) -> int:
    module = cst.parse_module(Path(path).read_text(encoding="utf-8"))
    return len(module.code)


def _metadata(path: str) -> int:
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


def _timed_floor(func, files, jobs: int):
    paths = [str(f) for f in files]
    start, cpu = time.perf_counter(), _cpu()
    if jobs == 1:
        for path in paths:
            func(path)
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            list(pool.imap_unordered(func, paths, chunksize=8))
            pool.close()
            pool.join()
    return time.perf_counter() - start, _cpu() - cpu


def _timed_db2ndb(folder: Path, jobs: int):
    config = RunConfig(paths=[str(folder)], rule_ids=[r.ID for r in ALL_RULES if "ndb" in r.TARGETS],
                       options=RuleOptions(), mode="check", jobs=jobs, py2_mode="auto")
    start, cpu = time.perf_counter(), _cpu()
    result = run(config)
    elapsed, used = time.perf_counter() - start, _cpu() - cpu
    if result.count("failed"):
        raise SystemExit(f"db2ndb failed on {result.count('failed')} files")
    return elapsed, used


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=40, help="fixture copies in the corpus (default 40)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions; the median is reported (default 3)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="job counts to measure (default 1 2)")
    parser.add_argument("--markdown", metavar="FILE", help="also write the results as a markdown table")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="db2ndb-bench-"))
    try:
        files = build_corpus(folder, args.copies)
        lines = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in files)
        rows = []
        for jobs in args.jobs:
            times = {"noop": [], "metadata": [], "db2ndb": []}
            cpus = {"noop": [], "metadata": [], "db2ndb": []}
            for _ in range(args.repeat):
                for name, measure in (("noop", lambda: _timed_floor(_noop, files, jobs)),
                                      ("metadata", lambda: _timed_floor(_metadata, files, jobs)),
                                      ("db2ndb", lambda: _timed_db2ndb(folder, jobs))):
                    wall, cpu = measure()
                    times[name].append(wall)
                    cpus[name].append(cpu)
            medians = {name: statistics.median(values) for name, values in times.items()}
            cpu_medians = {name: statistics.median(values) for name, values in cpus.items()}
            for name, seconds in medians.items():
                rows.append((jobs, name, len(files) / seconds, lines / seconds,
                             medians["noop"] / seconds, medians["metadata"] / seconds,
                             cpu_medians["metadata"] / cpu_medians[name]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    header = f"corpus: {len(files)} files, {lines} lines ({args.copies} copies of the legacy_app fixture); median of {args.repeat}"
    print(header)
    print(f"{'jobs':>4} {'pass':<9} {'files/s':>9} {'lines/s':>10} {'vs noop':>8} {'vs metadata':>12} {'cpu vs metadata':>16}")
    for jobs, name, fps, lps, vs_noop, vs_meta, cpu_meta in rows:
        print(f"{jobs:>4} {name:<9} {fps:>9.1f} {lps:>10.0f} {vs_noop:>7.2f}x {vs_meta:>11.2f}x {cpu_meta:>15.2f}x")
    single = {name: fps for jobs, name, fps, *_ in rows if jobs == 1}
    for jobs in args.jobs[1:]:
        multi = {name: fps for j, name, fps, *_ in rows if j == jobs}
        print(f"db2ndb scaling 1 -> {jobs} jobs: {multi['db2ndb'] / single['db2ndb']:.2f}x")
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as out:
            out.write(f"{header}\n\n| jobs | pass | files/s | lines/s | vs noop floor | vs metadata floor | CPU vs metadata floor |\n")
            out.write("|---:|---|---:|---:|---:|---:|---:|\n")
            for jobs, name, fps, lps, vs_noop, vs_meta, cpu_meta in rows:
                out.write(f"| {jobs} | {name} | {fps:.1f} | {lps:.0f} | {vs_noop:.2f}x | {vs_meta:.2f}x | {cpu_meta:.2f}x |\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
