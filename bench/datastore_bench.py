"""The shim against the raw google-cloud-datastore client and google-cloud-ndb, on one emulator, in one run.

Run: ``make bench`` (or ``.venv/bin/python bench/datastore_bench.py [--repetitions 7]
[--markdown docs/performance.md] [--profiles bench/profiles] [--chart docs/images/datastore-ratios.svg]``).

For each operation the same data shape is written to kinds with identical
schemas: one through compat.db (the shim), one through google-cloud-ndb
models, one through the raw google-cloud-datastore client (the wire limit:
the same RPCs with nothing on top). google-cloud-ndb runs with its
in-context cache off, as legacy db had none ("ndb"), and with its default
cache ("ndb+cache"); every repetition uses a fresh context. Ratios are
shim / raw and shim / ndb, medians of the interleaved repetitions.

With ``--profiles DIR`` each operation is then run once more through the
shim and once through the raw client under cProfile: ``DIR/<operation>.shim.prof``
(open with ``python -m pstats`` or snakeviz) and a text summary
``DIR/<operation>.txt`` (the top functions of both, by own time and by
cumulative time). With ``--chart`` both ratios are drawn per operation
(matplotlib, from the ``bench`` extra).
"""

import argparse
import cProfile
import datetime
import io
import os
import pstats
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _harness  # noqa: E402

N_BATCH = 1000
N_SINGLE = 200
N_TRANSACTIONS = 100
N_ITERATE = 20000
N_GQL_QUERIES = 10
WHEN = datetime.datetime(2020, 1, 2, 3, 4, 5)


def _values(i):
    return dict(name="name-%05d" % i, count=i, score=i * 0.5, flag=i % 2 == 0, created=WHEN,
                body="body text %d " % i * 4, tags=["t%d" % (i % 7), "all"])


def _models():
    from google.cloud import ndb

    from compat import db

    class BenchShim(db.Model):
        name = db.StringProperty()
        count = db.IntegerProperty()
        score = db.FloatProperty()
        flag = db.BooleanProperty()
        created = db.DateTimeProperty()
        body = db.TextProperty()
        tags = db.StringListProperty()

    class BenchNdb(ndb.Model):
        name = ndb.StringProperty()
        count = ndb.IntegerProperty()
        score = ndb.FloatProperty()
        flag = ndb.BooleanProperty()
        created = ndb.DateTimeProperty()
        body = ndb.TextProperty()
        tags = ndb.StringProperty(repeated=True)

    class Counter(db.Model):
        value = db.IntegerProperty()

    class NdbCounter(ndb.Model):
        value = ndb.IntegerProperty()

    return db, ndb, BenchShim, BenchNdb, Counter, NdbCounter


class Bench:
    """Holds the clients, models and results of one run."""

    def __init__(self, repetitions, profiles=None):
        from google.cloud import datastore

        import compat

        self.repetitions = repetitions
        self.profiles = profiles
        self.ratios = []
        (self.db, self.ndb, self.Shim, self.Ndb, self.Counter, self.NdbCounter) = _models()
        self.client = compat.get_client()
        self.raw = datastore.Client(project=self.client.project)
        self.rows = []
        self.notes = []

    # -- helpers ------------------------------------------------------------------------

    def ndb_context(self, cache):
        return self.client.context(cache_policy=None if cache else False)

    def raw_entity(self, key, values):
        from google.cloud import datastore

        entity = datastore.Entity(key=key, exclude_from_indexes=("body",))
        entity.update(values)
        return entity

    def record(self, operation, timings):
        shim = _harness.median_ms(timings["shim"])
        raw = _harness.median_ms(timings["raw"])
        ndb = _harness.median_ms(timings["ndb"])
        cache = "%.1f" % _harness.median_ms(timings["ndb+cache"]) if "ndb+cache" in timings else ""
        self.rows.append([operation, "%.1f" % shim, "%.1f" % raw, "**%.2f**" % (shim / raw), "%.1f" % ndb,
                          "%.2f" % (shim / ndb), cache])
        self.ratios.append((operation, shim / raw, shim / ndb))
        _harness.log("  %-30s shim %8.1f ms  raw %8.1f ms  shim/raw %.2f  ndb %8.1f ms  shim/ndb %.2f"
                     % (operation, shim, raw, shim / raw, ndb, shim / ndb))

    def run(self, name, variants, repetitions=None):
        _harness.log("running %s ..." % name)
        _harness.interleaved(variants, 1)  # one untimed warm-up round
        self.record(name, _harness.interleaved(variants, repetitions or self.repetitions))
        if self.profiles:
            self.profile(name, variants)

    def profile(self, name, variants):
        """Run the shim and the raw client once more under cProfile; save the shim's profile and both summaries."""
        slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        os.makedirs(self.profiles, exist_ok=True)
        text = ["# %s: where the time goes (one run under cProfile; times include the profiler's overhead)" % name]
        for side in ("shim", "raw"):
            profiler = cProfile.Profile()
            profiler.enable()
            variants[side]()
            profiler.disable()
            if side == "shim":
                profiler.dump_stats(os.path.join(self.profiles, "%s.shim.prof" % slug))
            for order in ("tottime", "cumulative"):
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out)
                stats.sort_stats(order).print_stats(_PROFILE_TOP)
                text.append("\n## %s, sorted by %s\n" % (side, order))
                text.append(_trim_profile(out.getvalue()))
        with open(os.path.join(self.profiles, "%s.txt" % slug), "w") as handle:
            handle.write("\n".join(text))

    # -- cases ----------------------------------------------------------------------------

    def batch_writes_and_reads(self):
        db, ndb, Shim, Ndb = self.db, self.ndb, self.Shim, self.Ndb
        shim_keys = [db.Key.from_path("BenchShim", "k%d" % i) for i in range(N_BATCH)]
        with self.ndb_context(False):
            ndb_keys = [ndb.Key("BenchNdb", "k%d" % i) for i in range(N_BATCH)]
        raw_keys = [self.raw.key("BenchRaw", "k%d" % i) for i in range(N_BATCH)]

        def shim_put():
            db.put([Shim(key_name="k%d" % i, **_values(i)) for i in range(N_BATCH)])

        def ndb_put(cache):
            def put():
                with self.ndb_context(cache):
                    ndb.put_multi([Ndb(id="k%d" % i, **_values(i)) for i in range(N_BATCH)])
            return put

        def raw_put():
            for start in range(0, N_BATCH, 500):
                self.raw.put_multi([self.raw_entity(raw_keys[i], _values(i)) for i in range(start, start + 500)])

        self.run("put_multi 1,000", {"shim": shim_put, "ndb": ndb_put(False), "ndb+cache": ndb_put(True),
                                     "raw": raw_put})

        def ndb_get(cache):
            def get():
                with self.ndb_context(cache):
                    assert len(ndb.get_multi(ndb_keys)) == N_BATCH
            return get

        self.run("get_multi 1,000", {
            "shim": lambda: db.get(shim_keys),
            "ndb": ndb_get(False), "ndb+cache": ndb_get(True),
            "raw": lambda: self.raw.get_multi(raw_keys),
        })

    def single_operations(self):
        db, ndb, Shim, Ndb = self.db, self.ndb, self.Shim, self.Ndb

        def shim_puts():
            for i in range(N_SINGLE):
                Shim(key_name="s%d" % i, **_values(i)).put()

        def ndb_puts(cache):
            def puts():
                with self.ndb_context(cache):
                    for i in range(N_SINGLE):
                        Ndb(id="s%d" % i, **_values(i)).put()
            return puts

        def raw_puts():
            for i in range(N_SINGLE):
                self.raw.put(self.raw_entity(self.raw.key("BenchRaw", "s%d" % i), _values(i)))

        self.run("200 single puts", {"shim": shim_puts, "ndb": ndb_puts(False), "ndb+cache": ndb_puts(True),
                                     "raw": raw_puts})
        shim_keys = [db.Key.from_path("BenchShim", "s%d" % i) for i in range(N_SINGLE)]
        with self.ndb_context(False):
            ndb_keys = [ndb.Key("BenchNdb", "s%d" % i) for i in range(N_SINGLE)]
        raw_keys = [self.raw.key("BenchRaw", "s%d" % i) for i in range(N_SINGLE)]

        def ndb_gets(cache):
            def gets():
                with self.ndb_context(cache):
                    for key in ndb_keys:
                        key.get()
            return gets

        self.run("200 single gets", {
            "shim": lambda: [db.get(key) for key in shim_keys],
            "ndb": ndb_gets(False), "ndb+cache": ndb_gets(True),
            "raw": lambda: [self.raw.get(key) for key in raw_keys],
        })

    def transactions(self):
        db, ndb, Counter, NdbCounter = self.db, self.ndb, self.Counter, self.NdbCounter
        Counter(key_name="c", value=0).put()
        with self.ndb_context(False):
            NdbCounter(id="c", value=0).put()
        raw_key = self.raw.key("RawCounter", "c")
        self.raw.put(self.raw_entity(raw_key, {"value": 0}))
        shim_key = db.Key.from_path("Counter", "c")

        def shim_txns():
            def increment():
                counter = db.get(shim_key)
                counter.value += 1
                counter.put()
            for _ in range(N_TRANSACTIONS):
                db.run_in_transaction(increment)

        def ndb_txns(cache):
            def run():
                with self.ndb_context(cache):
                    key = ndb.Key("NdbCounter", "c")

                    def increment():
                        counter = key.get()
                        counter.value += 1
                        counter.put()
                    for _ in range(N_TRANSACTIONS):
                        ndb.transaction(increment)
            return run

        def raw_txns():
            for _ in range(N_TRANSACTIONS):
                with self.raw.transaction():
                    entity = self.raw.get(raw_key)
                    entity["value"] += 1
                    self.raw.put(entity)

        self.run("100 transactions", {"shim": shim_txns, "ndb": ndb_txns(False), "ndb+cache": ndb_txns(True),
                                      "raw": raw_txns})

    def queries(self):
        db, ndb, Shim, Ndb = self.db, self.ndb, self.Shim, self.Ndb

        def ndb_fetch(cache):
            def fetch():
                with self.ndb_context(cache):
                    assert len(Ndb.query().fetch(N_BATCH)) == N_BATCH
            return fetch

        def raw_fetch():
            assert len(list(self.raw.query(kind="BenchRaw").fetch(limit=N_BATCH))) == N_BATCH

        self.run("query fetch 1,000", {
            "shim": lambda: Shim.all().fetch(N_BATCH),
            "ndb": ndb_fetch(False), "ndb+cache": ndb_fetch(True), "raw": raw_fetch,
        })

        gql = "SELECT * FROM {} WHERE count >= :1 ORDER BY count"

        def repeated(query):
            def run():
                for _ in range(N_GQL_QUERIES):
                    query()
            return run

        def ndb_gql():
            with self.ndb_context(False):
                for _ in range(N_GQL_QUERIES):
                    ndb.gql(gql.format("BenchNdb") + " LIMIT 100", 500).fetch(100)

        def ndb_query():
            with self.ndb_context(False):
                for _ in range(N_GQL_QUERIES):
                    Ndb.query(Ndb.count >= 500).order(Ndb.count).fetch(100)

        def raw_query():
            from google.cloud.datastore.query import PropertyFilter

            query = self.raw.query(kind="BenchRaw", filters=[PropertyFilter("count", ">=", 500)], order=["count"])
            assert len(list(query.fetch(limit=100))) == 100

        self.run("%d GQL fetches of 100" % N_GQL_QUERIES, {
            "shim": repeated(lambda: db.GqlQuery(gql.format("BenchShim"), 500).fetch(100)),
            "raw": repeated(raw_query), "ndb": ndb_query, "ndb+cache": ndb_gql,
        })
        self.notes.append("In the GQL row the raw column runs the same query built with the client's "
                          "`query(filters=..., order=...)`, the ndb column is the equivalent "
                          "`Model.query(...).order(...).fetch(100)` and the ndb+cache column is `ndb.gql(...)` "
                          "(cache off) instead.")

    def iteration(self):
        _harness.log("loading %d entities for the iteration case ..." % N_ITERATE)
        for kind in ("BenchShimIter", "BenchNdbIter", "BenchRawIter"):
            for start in range(0, N_ITERATE, 500):
                self.raw.put_multi([self.raw_entity(self.raw.key(kind, "i%d" % i), _values(i))
                                    for i in range(start, start + 500)])

        class BenchShimIter(self.Shim):  # same properties, kind BenchShimIter
            pass

        class BenchNdbIter(self.Ndb):
            pass

        def shim_iterate():
            return sum(1 for _ in BenchShimIter.all())

        def ndb_iterate():
            with self.ndb_context(False):
                return sum(1 for _ in BenchNdbIter.query().iter())

        def raw_iterate():  # the server's batch size, as the shim and ndb use
            return sum(1 for _ in self.raw.query(kind="BenchRawIter").fetch())

        self.run("iterate 20,000", {"shim": shim_iterate, "raw": raw_iterate, "ndb": ndb_iterate},
                 repetitions=max(1, self.repetitions // 2))
        count, shim_peak = _harness.peak_memory(shim_iterate)
        ndb_count, ndb_peak = _harness.peak_memory(ndb_iterate)
        assert count == ndb_count == N_ITERATE, (count, ndb_count)
        self.memory = (shim_peak, ndb_peak)
        _harness.log("  peak memory iterating %d: shim %.1f MiB, ndb %.1f MiB"
                     % (N_ITERATE, shim_peak / 2 ** 20, ndb_peak / 2 ** 20))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--markdown", help="write the results into this file (between markers)")
    parser.add_argument("--skip", action="append", default=[],
                        help="skip a case: batch, single, transactions, queries, iteration")
    parser.add_argument("--profiles", help="save a cProfile of every operation (shim and raw) in this folder")
    parser.add_argument("--chart", help="draw shim/raw and shim/ndb per operation into this SVG or PNG")
    args = parser.parse_args(argv)

    import compat
    from compat.testing import running_emulator

    with running_emulator(project="compat-bench") as emulator:
        compat.reset_client()
        bench = Bench(args.repetitions, args.profiles)
        bench.memory = None
        cases = [("batch", bench.batch_writes_and_reads), ("single", bench.single_operations),
                 ("transactions", bench.transactions), ("queries", bench.queries),
                 ("iteration", bench.iteration)]
        for name, case in cases:
            if name not in args.skip:
                case()
        emulator.reset()
    headers = ["operation", "shim ms", "raw datastore ms", "shim / raw", "ndb ms (no cache)", "shim / ndb",
               "ndb+cache ms"]
    table = _harness.markdown_table(headers, bench.rows)
    if args.chart:
        draw_chart(bench.ratios, args.chart)
    print(table)
    if bench.memory:
        print("\npeak Python memory iterating %d entities: shim %.1f MiB, ndb %.1f MiB"
              % (N_ITERATE, bench.memory[0] / 2 ** 20, bench.memory[1] / 2 ** 20))
    if args.markdown:
        lines = [
            "Measured %s on: %s." % (datetime.date.today().isoformat(), _harness.machine_description()),
            "Libraries: %s. Emulator: %s. Median of %d interleaved repetitions, one emulator, one process."
            % (_harness.library_versions("google-cloud-ndb", "google-cloud-datastore", "grpcio", "protobuf"),
               _harness.emulator_version(), args.repetitions),
            "",
            table,
        ]
        if bench.memory:
            lines += ["", "Peak Python memory (tracemalloc) while iterating %s entities: shim %.1f MiB, "
                      "google-cloud-ndb %.1f MiB." % ("{:,}".format(N_ITERATE), bench.memory[0] / 2 ** 20,
                                                        bench.memory[1] / 2 ** 20)]
        lines += [""] + ["- " + note for note in bench.notes]
        _harness.replace_section(args.markdown, "datastore-bench", "\n".join(lines))
    return 0


_PROFILE_TOP = 25
GOAL_VS_RAW = 1.25


def _trim_profile(text):
    """pstats output without its header lines and with site-packages paths shortened."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("Ordered by",
                                                                                                  "List reduced"))]
    return "\n".join(re.sub(r"\S*/(site-packages|lib/python3\.\d+|compat|bench)/", r"\1/", line) for line in lines)


def draw_chart(ratios, path):
    """A bar chart of shim / raw and shim / ndb per operation, with the 1.25x goal marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [name for name, _, _ in ratios][::-1]
    vs_raw = [raw for _, raw, _ in ratios][::-1]
    vs_ndb = [ndb for _, _, ndb in ratios][::-1]
    positions = range(len(names))
    figure, axes = plt.subplots(figsize=(7.5, 0.55 * len(names) + 1.6))
    axes.barh([p + 0.2 for p in positions], vs_raw, height=0.38, label="shim / raw google-cloud-datastore",
              color="#3b6fb6")
    axes.barh([p - 0.2 for p in positions], vs_ndb, height=0.38, label="shim / google-cloud-ndb", color="#9fb7d9")
    axes.axvline(1.0, color="#444444", linewidth=0.8)
    axes.axvline(GOAL_VS_RAW, color="#c0392b", linewidth=1, linestyle="--", label="goal: %.2fx raw" % GOAL_VS_RAW)
    for position, value in zip(positions, vs_raw):
        axes.text(value + 0.02, position + 0.2, "%.2f" % value, va="center", fontsize=8)
    axes.set_yticks(list(positions))
    axes.set_yticklabels(names)
    axes.set_xlabel("time ratio (lower is faster; 1.0 = same time)")
    axes.set_xlim(0, max(max(vs_raw), max(vs_ndb), GOAL_VS_RAW) * 1.15)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8, frameon=False)
    figure.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    metadata = {"Date": None} if path.endswith(".svg") else None  # reproducible SVG output
    figure.savefig(path, metadata=metadata)
    plt.close(figure)


if __name__ == "__main__":
    sys.exit(main())
