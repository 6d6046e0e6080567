"""GQL parse/bind cost, against google-cloud-ndb's own GQL parser in the same run.

Run: .venv/bin/python bench/bench_gql.py

The baseline is ``google.cloud.ndb._gql.GQL(text)``, ndb's port of the legacy
parser (parse only; it does not cache). Ratios below 1 mean we are faster.
Reported: a fresh parse (cache cleared), a cached parse (what building the
same db.GqlQuery again costs), and a bind of the cached statement.
"""

import statistics
import timeit

from google.cloud.ndb import _gql as ndb_gql

from compat.db import gql
from compat.db.gql import parser

QUERIES = {
    "simple": "SELECT * FROM Story WHERE author = :1",
    "typical": (
        "SELECT * FROM Story WHERE author = :1 AND created > DATETIME('2010-01-01 00:00:00') "
        "AND tag IN ('a', 'b', 'c') ORDER BY created DESC LIMIT 10"
    ),
    "large": (
        "SELECT DISTINCT title, author FROM Story WHERE ANCESTOR IS KEY('Blog', 'main') "
        "AND a = :1 AND b = :2 AND c IN (1, 2, 3, 4, 5) AND d >= DATE(2010, 1, 1) "
        "AND e < :limit AND f = GEOPT(1.5, 2.5) AND g = USER('a@example.com') "
        "ORDER BY title, author DESC, created LIMIT 5, 20"
    ),
}
CONSTRUCTORS = dict(
    make_key=lambda *path: path,
    make_key_from_string=lambda encoded: encoded,
    make_geopt=lambda lat, lon: (lat, lon),
    make_user=lambda email: email,
)


def best_microseconds(function, number):
    runs = timeit.repeat(function, number=number, repeat=5)
    return min(runs) / number * 1e6, statistics.median(runs) / number * 1e6


def main():
    print("%-8s %12s %12s %8s %12s %8s %12s" % (
        "query", "ndb parse", "fresh parse", "ratio", "cached parse", "ratio", "bind"))
    for name, text in QUERIES.items():
        ndb_time, _ = best_microseconds(lambda: ndb_gql.GQL(text), 2000)
        fresh_time, _ = best_microseconds(lambda: parser._parse_in_two_passes(text, None), 2000)
        cached_time, _ = best_microseconds(lambda: gql.parse(text), 100000)
        statement = gql.parse(text)
        args = ("x",) * len(statement.positional_parameters)
        bind_time, _ = best_microseconds(
            lambda: gql.bind(statement, args, {"limit": 3}, **CONSTRUCTORS), 20000
        )
        print("%-8s %10.1fus %10.1fus %8.2f %10.2fus %8.3f %10.1fus" % (
            name, ndb_time, fresh_time, fresh_time / ndb_time, cached_time,
            cached_time / ndb_time, bind_time))


if __name__ == "__main__":
    main()
