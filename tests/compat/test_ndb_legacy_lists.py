"""compat.ndb_legacy.ListProperty: legacy ``db.ListProperty``'s checks and stored forms, against the emulator.

Every expectation was observed on the legacy SDK (appengine-python-standard
with testbed): a tuple or a set is not a list, items are checked with
``isinstance`` (a bool is an int, bytes are not a str), ints beyond 64 bits
fail only at ``put()`` (OverflowError), ``ListProperty(bytes)`` takes a str
(encoded) and stores its items as indexed ASCII strings, a bool in an int
list is stored as a boolean.
"""

import datetime

import pytest
from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat import ndb_legacy


class Grid(ndb.Model):
    cells = ndb_legacy.ListProperty(int)
    names = ndb_legacy.StringListProperty()
    quiet = ndb_legacy.StringListProperty(indexed=False)
    raw = ndb_legacy.ListProperty(bytes)
    days = ndb_legacy.ListProperty(datetime.date)
    ratios = ndb_legacy.ListProperty(float)
    refs = ndb_legacy.ListProperty(ndb.Key)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("cells", (1, 2), "Property cells must be a list"),
        ("cells", {1}, "Property cells must be a list"),
        ("cells", None, "Property cells is required"),
        ("cells", [1, None], "Items in the cells list must all be integers."),
        ("cells", [[1]], "Items in the cells list must all be integers."),
        ("names", [b"x"], "Items in the names list must all be str instances"),
        ("ratios", [1], "Items in the ratios list must all be float instances"),
        ("raw", [1], "Item in the raw list can not be converted to byte."),
        ("refs", ["k"], "Items in the refs list must all be Key instances"),
    ],
)
def test_list_values_legacy_refused_are_refused(field, value, message):
    with pytest.raises(exceptions.BadValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Grid(**{field: value})


def test_list_values_legacy_accepted_are_kept_as_they_were():
    when = datetime.datetime(2020, 1, 1, 5)
    g = Grid(cells=[True, 2 ** 64], names=["a" * 600, "x\ny"], raw=["x", b"y"], days=[when])
    assert g.cells == [True, 2 ** 64] and g.cells[0] is True
    assert (g.names[1], g.raw, g.days) == ("x\ny", [b"x", b"y"], [when])


def test_items_appended_in_place_are_checked_at_put(ndb_client, clean_datastore):
    with ndb_client.context(cache_policy=lambda key: False):
        g = Grid()
        g.cells.append("3")
        with pytest.raises(exceptions.BadValueError, match="must all be integers"):
            g.put()
        assert Grid.query().count() == 0


def test_int_items_beyond_64_bits_fail_at_put_with_overflow(ndb_client, clean_datastore):
    with ndb_client.context(cache_policy=lambda key: False):
        with pytest.raises(OverflowError, match="18446744073709551616 is out of bounds for int64"):
            Grid(cells=[2 ** 64]).put()
        with pytest.raises(UnicodeDecodeError):
            Grid(raw=[b"\xff"]).put()
        assert Grid.query().count() == 0


def test_stored_like_legacy(ndb_client, clean_datastore, raw_client):
    with ndb_client.context(cache_policy=lambda key: False):
        key = Grid(cells=[True, 2], raw=[b"ab"], quiet=["q"], days=[datetime.date(2020, 1, 2)]).put()
        raw = raw_client.get(raw_client.key("Grid", key.id()))
        loaded = key.get()
    assert raw["cells"] == [True, 2] and raw["cells"][0] is True  # a boolean, as legacy stored it
    assert raw["raw"] == ["ab"]  # an indexed string, not a blob
    assert raw["days"] == [datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone.utc)]
    assert "quiet" in raw.exclude_from_indexes and "raw" not in raw.exclude_from_indexes
    assert (loaded.cells, loaded.raw, loaded.quiet) == ([True, 2], [b"ab"], ["q"])
    assert loaded.days == [datetime.date(2020, 1, 2)]
