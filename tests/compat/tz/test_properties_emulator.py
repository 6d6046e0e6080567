"""compat.db date/time properties with time zones, against the emulator; stored values read raw."""

import datetime
import zoneinfo

import pytest
import pytz
from google.cloud import datastore as raw_datastore
from google.cloud import ndb

import compat.tz as tz
from compat import db

NY = zoneinfo.ZoneInfo("America/New_York")
NY_PYTZ = pytz.timezone("America/New_York")
TOKYO_PYTZ = pytz.timezone("Asia/Tokyo")


class TzEvent(db.Model):
    legacy = db.DateTimeProperty()
    jst = db.DateTimeProperty(tzinfo=tz.JST)
    ny = db.DateTimeProperty(tzinfo=NY, naive="local")
    wall = db.DateTimeProperty(stored_as=tz.JST)
    strict = db.DateTimeProperty(tzinfo=tz.JST, naive="reject")
    day = db.DateProperty(tzinfo=tz.JST)
    legacy_day = db.DateProperty()
    clock = db.TimeProperty(tzinfo=tz.JST)


class TzStamped(db.Model):
    title = db.StringProperty()
    created = db.DateTimeProperty(tzinfo=tz.JST, auto_now_add=True)
    modified = db.DateTimeProperty(tzinfo=tz.JST, auto_now=True)
    wall_modified = db.DateTimeProperty(stored_as=tz.JST, auto_now=True)
    touched_day = db.DateProperty(tzinfo=tz.JST, auto_now=True)


class NdbTzEvent(ndb.Model):
    jst = ndb.DateTimeProperty(tzinfo=tz.JST)
    legacy = ndb.DateTimeProperty()

    @classmethod
    def _get_kind(cls):
        return "TzEvent"


@pytest.fixture
def raw(datastore):
    return raw_datastore.Client(project=datastore.project)


@pytest.fixture(autouse=True)
def _no_global_default():
    tz.set_default_timezone(None)
    yield
    tz.set_default_timezone(None)


def _raw_naive(raw, key, name):
    """The stored timestamp as naive UTC digits (google-cloud-datastore returns aware UTC)."""
    value = raw.get(key._ds if hasattr(key, "_ds") else key)[name]
    return tz.to_utc_naive(value)


def _jst(*args):
    return tz.localize(datetime.datetime(*args), tz.JST)


def test_plain_property_keeps_exact_legacy_behaviour(datastore, raw):
    event = TzEvent(legacy=_jst(2024, 1, 1, 12, 0))
    key = event.put()
    assert event.legacy == _jst(2024, 1, 1, 12, 0)  # stays aware on the instance after put()
    assert _raw_naive(raw, key, "legacy") == datetime.datetime(2024, 1, 1, 3, 0)
    loaded = TzEvent.get(key)
    assert loaded.legacy == datetime.datetime(2024, 1, 1, 3, 0)
    assert loaded.legacy.tzinfo is None


def test_jst_midnight_stores_the_utc_instant_and_the_japan_date(datastore, raw):
    half_past_midnight = _jst(2024, 1, 2, 0, 30)
    key = TzEvent(jst=half_past_midnight, day=half_past_midnight, legacy_day=datetime.date(2024, 1, 2),
                  clock=half_past_midnight).put()
    assert _raw_naive(raw, key, "jst") == datetime.datetime(2024, 1, 1, 15, 30)
    assert _raw_naive(raw, key, "day") == datetime.datetime(2024, 1, 2, 0, 0)  # the Japan calendar date
    assert _raw_naive(raw, key, "legacy_day") == datetime.datetime(2024, 1, 2, 0, 0)
    assert _raw_naive(raw, key, "clock") == datetime.datetime(1970, 1, 1, 0, 30)
    loaded = TzEvent.get(key)
    assert loaded.jst == half_past_midnight and loaded.jst.utcoffset() == datetime.timedelta(hours=9)
    assert loaded.day == datetime.date(2024, 1, 2)
    assert loaded.clock == datetime.time(0, 30)


def test_year_boundary(datastore, raw):
    key = TzEvent(jst=_jst(2024, 1, 1, 0, 0), day=_jst(2024, 1, 1, 0, 0)).put()
    assert _raw_naive(raw, key, "jst") == datetime.datetime(2023, 12, 31, 15, 0)
    assert _raw_naive(raw, key, "day") == datetime.datetime(2024, 1, 1)
    loaded = TzEvent.get(key)
    assert loaded.jst.year == 2024 and tz.to_zone(loaded.jst, tz.UTC).year == 2023


def test_dst_zone_missing_and_ambiguous_local_times(datastore, raw):
    spring = TzEvent(ny=datetime.datetime(2021, 3, 14, 2, 30))  # naive="local": New York wall time
    fall = TzEvent(ny=datetime.datetime(2021, 11, 7, 1, 30))
    second_occurrence = TzEvent(ny=tz.from_utc_naive(datetime.datetime(2021, 11, 7, 6, 30), NY))
    keys = db.put([spring, fall, second_occurrence])
    assert [_raw_naive(raw, k, "ny") for k in keys] == [
        datetime.datetime(2021, 3, 14, 7, 30),  # shifted forward: 03:30 EDT
        datetime.datetime(2021, 11, 7, 5, 30),  # earlier of the two 01:30s: EDT
        datetime.datetime(2021, 11, 7, 6, 30),  # an aware value keeps its instant
    ]
    loaded = [TzEvent.get(k).ny for k in keys]
    assert [tz.wall_clock(v, NY) for v in loaded] == [
        datetime.datetime(2021, 3, 14, 3, 30), datetime.datetime(2021, 11, 7, 1, 30),
        datetime.datetime(2021, 11, 7, 1, 30)]
    assert [v.utcoffset().total_seconds() / 3600 for v in loaded] == [-4, -4, -5]


def test_pytz_and_zoneinfo_input_store_the_same_instant(datastore, raw):
    via_pytz = TzEvent(jst=TOKYO_PYTZ.localize(datetime.datetime(2024, 7, 1, 9, 0)),
                       ny=NY_PYTZ.localize(datetime.datetime(2021, 11, 7, 1, 30), is_dst=False))
    via_zoneinfo = TzEvent(jst=_jst(2024, 7, 1, 9, 0),
                           ny=tz.from_utc_naive(datetime.datetime(2021, 11, 7, 6, 30), NY))
    via_offset = TzEvent(jst=datetime.datetime(2024, 7, 1, 0, 0, tzinfo=datetime.timezone.utc),
                         ny=datetime.datetime(2021, 11, 7, 1, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))))
    keys = db.put([via_pytz, via_zoneinfo, via_offset])
    for name, expected in (("jst", datetime.datetime(2024, 7, 1, 0, 0)), ("ny", datetime.datetime(2021, 11, 7, 6, 30))):
        assert [_raw_naive(raw, k, name) for k in keys] == [expected] * 3


def test_the_plus_0919_trap(datastore, raw):
    trapped = datetime.datetime(2024, 1, 1, 12, 0).replace(tzinfo=TOKYO_PYTZ)  # tz-trap: deliberate
    assert trapped.utcoffset() == datetime.timedelta(hours=9, minutes=19)
    key = TzEvent(legacy=trapped, jst=trapped, wall=trapped).put()
    assert _raw_naive(raw, key, "legacy") == datetime.datetime(2024, 1, 1, 2, 41)  # legacy db did this
    assert _raw_naive(raw, key, "jst") == datetime.datetime(2024, 1, 1, 3, 0)  # meant: 12:00 JST
    assert _raw_naive(raw, key, "wall") == datetime.datetime(2024, 1, 1, 12, 0)
    loaded = TzEvent.get(key)
    assert loaded.jst == _jst(2024, 1, 1, 12, 0) and loaded.jst.utcoffset() == datetime.timedelta(hours=9)


def test_auto_now_values_are_aware_in_memory_and_equal_the_stored_instant(datastore, raw):
    before = tz.now(tz.UTC)
    stamped = TzStamped(title="a")
    assert stamped.created.utcoffset() == datetime.timedelta(hours=9)  # set at construction, aware
    key = stamped.put()
    after = tz.now(tz.UTC)
    for name in ("created", "modified", "wall_modified"):
        value = getattr(stamped, name)
        assert value.utcoffset() == datetime.timedelta(hours=9), name
        assert before <= value <= after, name
    assert _raw_naive(raw, key, "created") == tz.to_utc_naive(stamped.created)
    assert _raw_naive(raw, key, "modified") == tz.to_utc_naive(stamped.modified)
    assert _raw_naive(raw, key, "wall_modified") == tz.wall_clock(stamped.wall_modified, tz.JST)
    assert _raw_naive(raw, key, "touched_day") == datetime.datetime.combine(
        tz.wall_clock(stamped.modified, tz.JST).date(), datetime.time())
    first_modified, created = stamped.modified, stamped.created
    stamped.title = "b"
    stamped.put()
    assert stamped.modified > first_modified and stamped.created == created
    loaded = TzStamped.get(key)
    assert (loaded.created, loaded.modified) == (stamped.created, stamped.modified)


def test_legacy_japan_wall_clock_data_reads_right_and_keeps_its_convention(datastore, raw):
    # What a legacy app that followed the seed notes wrote: naive Japan time, stored as if UTC.
    entity = raw_datastore.Entity(raw.key("TzEvent", "old"))
    entity["wall"] = datetime.datetime(2010, 3, 15, 21, 0)
    raw.put(entity)
    loaded = TzEvent.get_by_key_name("old")
    assert loaded.wall == _jst(2010, 3, 15, 21, 0)
    assert tz.to_utc_naive(loaded.wall) == datetime.datetime(2010, 3, 15, 12, 0)
    loaded.wall = datetime.datetime(2010, 3, 16, 8, 0)  # unmodified code writing Japan time, naive
    loaded.put()
    assert _raw_naive(raw, raw.key("TzEvent", "old"), "wall") == datetime.datetime(2010, 3, 16, 8, 0)
    loaded.wall = tz.localize(datetime.datetime(2010, 3, 16, 0, 0), tz.UTC)  # aware: converted to JST wall time
    loaded.put()
    assert _raw_naive(raw, raw.key("TzEvent", "old"), "wall") == datetime.datetime(2010, 3, 16, 9, 0)


def test_range_filter_values_against_legacy_jst_data(datastore, raw):
    """Aware bounds converted by the property compare correctly with wall-clock data.

    The query layer (Model.all().filter) passes filter operands through
    ``_to_filter_value``; here the converted operands drive a raw query.
    """
    for hour in range(0, 24, 3):  # legacy rows at 00:00, 03:00 ... 21:00 Japan time on 15 March
        row = raw_datastore.Entity(raw.key("TzEvent", "h%02d" % hour))
        row["wall"] = datetime.datetime(2010, 3, 15, hour, 0)
        raw.put(row)
    prop = TzEvent.wall
    lower = prop._to_filter_value(tz.localize(datetime.datetime(2010, 3, 15, 0, 0), tz.UTC))  # 09:00 JST
    upper = prop._to_filter_value(tz.localize(datetime.datetime(2010, 3, 15, 9, 0), tz.UTC))  # 18:00 JST
    assert (lower, upper) == (datetime.datetime(2010, 3, 15, 9, 0), datetime.datetime(2010, 3, 15, 18, 0))
    query = raw.query(kind="TzEvent")
    query.add_filter(filter=raw_datastore.query.PropertyFilter("wall", ">=", lower))
    query.add_filter(filter=raw_datastore.query.PropertyFilter("wall", "<", upper))
    names = sorted(e.key.name for e in query.fetch())
    assert names == ["h09", "h12", "h15"]
    # and each result, loaded through compat, is inside the aware range
    for name in names:
        value = TzEvent.get_by_key_name(name).wall
        assert tz.localize(datetime.datetime(2010, 3, 15, 0, 0), tz.UTC) <= value < tz.localize(
            datetime.datetime(2010, 3, 15, 9, 0), tz.UTC)


def test_naive_reject_fails_at_assignment_and_nothing_is_written(datastore, raw):
    with pytest.raises(db.BadValueError, match="strict.*naive='reject'"):
        TzEvent(strict=datetime.datetime(2024, 1, 1))
    event = TzEvent(strict=_jst(2024, 1, 1))
    with pytest.raises(db.BadValueError, match="naive='reject'"):
        event.strict = datetime.datetime(2024, 1, 1)
    assert list(raw.query(kind="TzEvent").fetch()) == []
    with pytest.raises(db.BadValueError, match="time of day with a zone"):
        TzEvent(clock=tz.localize(datetime.datetime(1970, 1, 1, 9), tz.UTC).timetz())


def test_interop_with_ndb_tzinfo_on_the_same_kind(datastore, ndb_client):
    key = TzEvent(jst=_jst(2024, 1, 2, 0, 30), legacy=datetime.datetime(2024, 1, 1, 15, 30)).put()
    with ndb_client.context(cache_policy=False):
        from_ndb = key.to_ndb().get()
        assert isinstance(from_ndb, NdbTzEvent)
        assert from_ndb.jst == _jst(2024, 1, 2, 0, 30) and from_ndb.jst.utcoffset() == datetime.timedelta(hours=9)
        assert from_ndb.legacy == datetime.datetime(2024, 1, 1, 15, 30)
        written = NdbTzEvent(id="by-ndb", jst=tz.from_utc_naive(datetime.datetime(2023, 12, 31, 15, 0), NY))
        written.put()
    loaded = TzEvent.get_by_key_name("by-ndb")
    assert loaded.jst == _jst(2024, 1, 1, 0, 0)


def test_global_default_makes_plain_properties_aware(datastore, raw):
    key = TzEvent(legacy=datetime.datetime(2024, 1, 1, 15, 30)).put()
    tz.set_default_timezone(tz.JST)
    loaded = TzEvent.get(key)
    assert loaded.legacy == _jst(2024, 1, 2, 0, 30)
    assert loaded.legacy.utcoffset() == datetime.timedelta(hours=9)
    loaded.legacy_day = _jst(2024, 1, 2, 0, 30)  # a plain DateProperty now takes the Japan date
    loaded.put()
    assert _raw_naive(raw, key, "legacy") == datetime.datetime(2024, 1, 1, 15, 30)
    assert _raw_naive(raw, key, "legacy_day") == datetime.datetime(2024, 1, 2)
    tz.set_default_timezone(None)
    with pytest.raises(db.BadValueError, match="not a datetime"):
        TzEvent(legacy_day=_jst(2024, 1, 2, 0, 30))


def test_date_and_time_filter_operands_in_aware_mode():
    day, clock = TzEvent.day, TzEvent.clock
    # an aware bound becomes the Japan date / time of day, stored form
    assert day._to_filter_value(_jst(2024, 1, 2, 0, 30)) == datetime.datetime(2024, 1, 2)
    assert clock._to_filter_value(_jst(2024, 1, 2, 0, 30)) == datetime.datetime(1970, 1, 1, 0, 30)
    # GQL DATE(2024, 1, 2) / TIME(0, 30) literals arrive as naive stored forms and are kept
    assert day._to_filter_value(datetime.datetime(2024, 1, 2)) == datetime.datetime(2024, 1, 2)
    assert clock._to_filter_value(datetime.datetime(1970, 1, 1, 0, 30)) == datetime.datetime(1970, 1, 1, 0, 30)
    assert day._to_filter_value(datetime.date(2024, 1, 2)) == datetime.datetime(2024, 1, 2)
    # a DATETIME() literal on an aware DateTimeProperty follows the naive policy (here "utc")
    assert TzEvent.jst._to_filter_value(datetime.datetime(2024, 1, 1, 15, 30)) == datetime.datetime(2024, 1, 1, 15, 30)
    assert TzEvent.wall._to_filter_value(datetime.datetime(2010, 3, 15, 9, 0)) == datetime.datetime(2010, 3, 15, 9, 0)
