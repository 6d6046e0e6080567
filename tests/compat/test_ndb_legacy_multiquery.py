"""compat.ndb_legacy.merged_by_key: IN / != queries without a sort order merged by key, as legacy's MultiQuery.

The legacy observations are the differential programs q012 and q019 (tests/codemods/semantic); these tests
hold the shapes those programs do not reach (keys-only, query-level limit and offset, cursors, chaining).
"""

import pytest
from google.cloud import ndb

from compat import ndb_legacy


class MergedAd(ndb.Model):
    city = ndb.StringProperty()
    price = ndb.IntegerProperty()


CITIES = ["rome", "oslo", "rome", "lima", "oslo", "rome", "bonn"]


@pytest.fixture
def ads(ndb_context, clean_datastore):
    ndb.put_multi([MergedAd(id="a%d" % i, city=c, price=i) for i, c in enumerate(CITIES)])


def _prices(results):
    return [a.price for a in results]


def test_not_equal_heads_are_merged_by_key(ads):
    # `<` oslo streams [a6 bonn, a3 lima], `>` oslo [a0, a2, a5 rome]: db took the smaller key of the two heads
    query = ndb_legacy.merged_by_key(MergedAd.query()).filter(ndb_legacy.not_equal(MergedAd.city, "oslo"))
    assert _prices(query) == [0, 2, 5, 6, 3]
    assert _prices(MergedAd.query(ndb_legacy.not_equal(MergedAd.city, "oslo"))) == [6, 3, 0, 2, 5]  # ndb's order
    assert _prices(query.fetch(2, offset=1)) == [2, 5]
    assert query.get().price == 0


def test_keys_only_and_query_level_limit_and_offset(ads):
    base = ndb_legacy.merged_by_key(MergedAd.query(MergedAd.city.IN(["oslo", "rome"])))
    assert [k.id() for k in base.fetch(keys_only=True)] == ["a0", "a1", "a2", "a4", "a5"]
    limited = ndb_legacy.merged_by_key(ndb.Query(kind="MergedAd", filters=MergedAd.city.IN(["oslo", "rome"]),
                                                 limit=2, offset=1))
    assert [k.id() for k in limited.iter(keys_only=True)] == ["a1", "a2"]
    assert base.count() == 5


def test_the_merge_follows_the_query_and_an_order_gives_it_back_to_ndb(ads):
    query = ndb_legacy.merged_by_key(MergedAd.query()).filter(ndb_legacy.not_equal(MergedAd.city, "lima"))
    assert isinstance(query, ndb_legacy.MergedQuery) and ndb_legacy.merged_by_key(query) is query
    assert _prices(query.filter(MergedAd.price == 4)) == [4]
    ordered = query.order(-MergedAd.city)
    assert isinstance(ordered, ndb_legacy.MergedQuery)
    assert _prices(ordered.fetch(4)) == [0, 2, 5, 1]  # ndb's sorted merge, as db's (program q019)
    single = ndb_legacy.merged_by_key(MergedAd.query(MergedAd.city == "rome"))
    assert _prices(single) == [0, 2, 5]


def test_cursors_are_refused_as_for_any_or_query(ads):
    query = ndb_legacy.merged_by_key(MergedAd.query(MergedAd.city.IN(["oslo", "rome"])))
    results = query.iter(produce_cursors=True)
    next(results)
    with pytest.raises(AssertionError, match="MultiQuery"):
        ndb_legacy.cursor_after(results)
    with pytest.raises(AssertionError, match="MultiQuery"):
        ndb_legacy.cursor_after(query)
