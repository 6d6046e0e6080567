"""The shim against raw google-cloud-ndb doing the same work, on one emulator, in one run.

Run: ``make bench`` (or ``.venv/bin/python bench/datastore_bench.py [--repetitions 7] [--markdown docs/performance.md]``).

For each operation the same data shape is written to three kinds with
identical schemas: one through compat.db (the shim), one through
google-cloud-ndb models, one through the raw google-cloud-datastore client
(the wire limit). google-cloud-ndb runs with its in-context cache off, as
legacy db had none ("ndb"), and with its default cache ("ndb+cache"); every
repetition uses a fresh context, so the cache column shows what the cache
costs or saves on the same work. Ratios are shim / ndb, median of the
interleaved repetitions.
"""

import argparse
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _harness  # noqa: E402

N_BATCH = 1000
N_SINGLE = 200
N_TRANSACTIONS = 100
N_ITERATE = 20000
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

    def __init__(self, repetitions):
        from google.cloud import datastore

        import compat

        self.repetitions = repetitions
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
        base = _harness.median_ms(timings["ndb"])
        row = [operation, "%.1f" % shim, "%.1f" % base, "%.2f" % (shim / base)]
        row.append("%.1f" % _harness.median_ms(timings["ndb+cache"]) if "ndb+cache" in timings else "")
        row.append("%.1f" % _harness.median_ms(timings["raw"]) if "raw" in timings else "")
        self.rows.append(row)
        _harness.log("  %-34s shim %8.1f ms  ndb %8.1f ms  ratio %.2f" % (operation, shim, base, shim / base))

    def run(self, name, variants, setup=None):
        _harness.log("running %s ..." % name)
        # one untimed warm-up round
        _harness.interleaved(variants, 1, setup)
        self.record(name, _harness.interleaved(variants, self.repetitions, setup))

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

        def ndb_gql():
            with self.ndb_context(False):
                ndb.gql("SELECT * FROM BenchNdb WHERE count >= :1 ORDER BY count LIMIT 100", 500).fetch(100)

        def ndb_query():
            with self.ndb_context(False):
                Ndb.query(Ndb.count >= 500).order(Ndb.count).fetch(100)

        timings = _harness.interleaved({
            "shim": lambda: db.GqlQuery("SELECT * FROM BenchShim WHERE count >= :1 ORDER BY count", 500).fetch(100),
            "ndb": ndb_query,
            "ndb+cache": ndb_gql,
        }, self.repetitions)
        self.record("GQL fetch 100 (vs ndb query)", timings)
        self.notes.append("In the GQL row the ndb column is the equivalent `Model.query(...).order(...).fetch(100)` "
                          "and the ndb+cache column is `ndb.gql(...)` (cache off) instead.")

    def iteration(self):
        db, ndb = self.db, self.ndb
        _harness.log("loading %d entities for the iteration case ..." % N_ITERATE)
        for start in range(0, N_ITERATE, 500):
            self.raw.put_multi([self.raw_entity(self.raw.key("BenchShimIter", "i%d" % i), _values(i))
                                for i in range(start, start + 500)])
            self.raw.put_multi([self.raw_entity(self.raw.key("BenchNdbIter", "i%d" % i), _values(i))
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

        repetitions = max(1, self.repetitions // 2)
        timings = _harness.interleaved({"shim": shim_iterate, "ndb": ndb_iterate}, repetitions)
        self.record("iterate 20,000", timings)
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
    args = parser.parse_args(argv)

    import compat
    from compat.testing import running_emulator

    with running_emulator(project="compat-bench") as emulator:
        compat.reset_client()
        bench = Bench(args.repetitions)
        bench.memory = None
        cases = [("batch", bench.batch_writes_and_reads), ("single", bench.single_operations),
                 ("transactions", bench.transactions), ("queries", bench.queries),
                 ("iteration", bench.iteration)]
        for name, case in cases:
            if name not in args.skip:
                case()
        emulator.reset()
    headers = ["operation", "shim ms", "ndb ms (no cache)", "shim / ndb", "ndb+cache ms", "raw datastore ms"]
    table = _harness.markdown_table(headers, bench.rows)
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


if __name__ == "__main__":
    sys.exit(main())
