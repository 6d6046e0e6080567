"""Peak memory (and time) of iterating a large query: compat.db against raw google-cloud-ndb.

Run: .venv/bin/python bench/query_memory.py [--count 20000]

Starts its own Datastore emulator (or uses DATASTORE_EMULATOR_HOST), stores
``--count`` entities of one kind, then measures, in the same run:

* ``compat iterate``  -- ``for item in BenchItem.all(): ...`` (compat streams batch by batch)
* ``compat fetch``    -- ``BenchItem.all().fetch(None)`` (a list: everything in memory, for contrast)
* ``ndb iterate``     -- ``for item in NdbBenchItem.query(): ...`` (google-cloud-ndb's iterator; the baseline)
* ``ndb fetch``       -- ``NdbBenchItem.query().fetch()``

Peak memory is tracemalloc's peak above the starting point while the loop
runs (one pass with tracing on); time is the best of ``--repeat`` passes
with tracing off. Ratios are against ``ndb iterate``. The loop body keeps
nothing, so a streaming iterator's peak is one batch, whatever the count.
"""

import argparse
import gc
import time
import tracemalloc


def _define_models():
    from google.cloud import ndb

    from compat import db

    class BenchItem(db.Model):
        name = db.StringProperty()
        n = db.IntegerProperty()
        score = db.FloatProperty()
        tags = db.StringListProperty()
        body = db.TextProperty()

    class NdbBenchItem(ndb.Model):
        name = ndb.StringProperty()
        n = ndb.IntegerProperty()
        score = ndb.FloatProperty()
        tags = ndb.StringProperty(repeated=True)
        body = ndb.TextProperty()

        @classmethod
        def _get_kind(cls):
            return "BenchItem"

    return BenchItem, NdbBenchItem


def _populate(model, count):
    from compat import db

    batch = []
    for i in range(count):
        batch.append(model(key_name="item%06d" % i, name="item %d" % i, n=i, score=i / 3.0,
                           tags=["t%d" % (i % 7), "common"], body="x" * 200))
        if len(batch) == 500:
            db.put(batch)
            batch = []
    if batch:
        db.put(batch)


def _measure(function, repeat):
    gc.collect()
    tracemalloc.start()
    start_current, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    seen = function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        function()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return seen, max(0, peak - start_current), best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from compat.testing import running_emulator

    with running_emulator() as emulator:
        from google.cloud import ndb

        from compat import _context

        _context.reset_client()
        BenchItem, NdbBenchItem = _define_models()
        started = time.perf_counter()
        _populate(BenchItem, args.count)
        print("stored %d entities in %.1fs (emulator %s)" % (args.count, time.perf_counter() - started,
                                                             emulator.host))
        client = ndb.Client(project=emulator.project)

        def compat_iterate():
            seen = 0
            for item in BenchItem.all():
                seen += item.n >= 0
            return seen

        def compat_fetch():
            return len(BenchItem.all().fetch(None))

        def ndb_iterate():
            seen = 0
            with client.context(cache_policy=False):
                for item in NdbBenchItem.query():
                    seen += item.n >= 0
            return seen

        def ndb_fetch():
            with client.context(cache_policy=False):
                return len(NdbBenchItem.query().fetch())

        cases = [("ndb iterate", ndb_iterate), ("compat iterate", compat_iterate),
                 ("ndb fetch", ndb_fetch), ("compat fetch", compat_fetch)]
        results = {}
        for name, function in cases:
            seen, peak, best = _measure(function, args.repeat)
            if seen != args.count:
                raise SystemExit("%s saw %d entities, expected %d" % (name, seen, args.count))
            results[name] = (peak, best)

        base_peak, base_time = results["ndb iterate"]
        print()
        print("%-16s %12s %10s %10s %10s" % ("case", "peak memory", "vs ndb it", "time", "vs ndb it"))
        for name, _ in cases:
            peak, best = results[name]
            print("%-16s %9.2f MB %9.2fx %9.2fs %9.2fx" % (name, peak / 1e6, peak / base_peak, best,
                                                          best / base_time))
        per_entity = results["compat fetch"][0] / args.count
        print()
        print("compat iterate holds about %.0f entities' worth of memory at its peak (fetch: %.0f bytes each)"
              % (results["compat iterate"][0] / per_entity, per_entity))


if __name__ == "__main__":
    main()
