"""compat.tz zones and conversions: pytz, zoneinfo and fixed offsets alike; the DST rule."""

import datetime
import zoneinfo

import pytest
import pytz

import compat.tz as tz

NY_ZONEINFO = zoneinfo.ZoneInfo("America/New_York")
NY_PYTZ = pytz.timezone("America/New_York")
TOKYO_PYTZ = pytz.timezone("Asia/Tokyo")
PLUS_NINE = datetime.timezone(datetime.timedelta(hours=9))
ALL_NY = [NY_ZONEINFO, NY_PYTZ]
ALL_TOKYO = [tz.JST, TOKYO_PYTZ, PLUS_NINE]


class LegacyJST(datetime.tzinfo):
    """The hand-written class the legacy seed notes told apps to define."""

    def utcoffset(self, dt):
        return datetime.timedelta(hours=9)

    def dst(self, dt):
        return datetime.timedelta(0)

    def tzname(self, dt):
        return "JST"


def test_ready_zones():
    assert tz.UTC.utcoffset(None) == datetime.timedelta(0)
    noon = tz.localize(datetime.datetime(2024, 6, 1, 12), tz.JST)
    assert noon.utcoffset() == datetime.timedelta(hours=9)
    assert tz.JST.key == "Asia/Tokyo"


def test_zone_accepts_names_and_every_kind_of_tzinfo():
    assert tz.zone("Asia/Tokyo") == zoneinfo.ZoneInfo("Asia/Tokyo")
    assert tz.zone("UTC") is tz.UTC
    for zone_object in (NY_PYTZ, NY_ZONEINFO, PLUS_NINE, pytz.utc, LegacyJST()):
        assert tz.zone(zone_object) is zone_object


def test_zone_rejects_unknown_names_and_non_zones():
    with pytest.raises(tz.UnknownTimeZoneError, match="Asia/Tokio"):
        tz.zone("Asia/Tokio")
    with pytest.raises(pytz.UnknownTimeZoneError):  # catchable the pytz way too
        tz.zone("Nowhere/Land")
    with pytest.raises(TypeError, match="time-zone name"):
        tz.zone(9)


@pytest.mark.parametrize("tokyo", ALL_TOKYO + [LegacyJST()], ids=repr)
def test_jst_midnight_is_the_previous_day_in_utc(tokyo):
    local = tz.localize(datetime.datetime(2024, 1, 2, 0, 30), tokyo)
    assert tz.to_utc_naive(local) == datetime.datetime(2024, 1, 1, 15, 30)
    assert tz.from_utc_naive(datetime.datetime(2024, 1, 1, 15, 30), tokyo) == local
    assert tz.wall_clock(local, tz.UTC) == datetime.datetime(2024, 1, 1, 15, 30)


def test_year_boundary():
    new_year_tokyo = tz.localize(datetime.datetime(2024, 1, 1, 0, 0), tz.JST)
    assert tz.to_utc_naive(new_year_tokyo) == datetime.datetime(2023, 12, 31, 15, 0)
    assert tz.wall_clock(tz.from_utc_naive(datetime.datetime(2023, 12, 31, 15, 0)), tz.JST) == (
        datetime.datetime(2024, 1, 1, 0, 0)
    )


def test_pytz_replace_trap_gives_lmt_and_localize_does_not():
    trap = datetime.datetime(2024, 1, 1, 9, 0).replace(tzinfo=TOKYO_PYTZ)  # tz-trap: deliberate
    assert trap.utcoffset() == datetime.timedelta(hours=9, minutes=19)
    right = tz.localize(datetime.datetime(2024, 1, 1, 9, 0), TOKYO_PYTZ)
    assert right.utcoffset() == datetime.timedelta(hours=9)
    assert tz.to_utc_naive(right) == datetime.datetime(2024, 1, 1, 0, 0)
    # The trapped value is 19 minutes early on the time line.
    assert tz.to_utc_naive(trap) == datetime.datetime(2023, 12, 31, 23, 41)


def test_repair_pytz_replace_only_touches_trapped_values():
    trapped = datetime.datetime(2024, 1, 1, 9, 0).replace(tzinfo=TOKYO_PYTZ)  # tz-trap: deliberate
    assert tz.repair_pytz_replace(trapped) == tz.localize(datetime.datetime(2024, 1, 1, 9, 0), tz.JST)
    summer_ny = datetime.datetime(2021, 7, 1, 12, 0).replace(tzinfo=NY_PYTZ)  # tz-trap: deliberate (LMT -4:56)
    assert tz.repair_pytz_replace(summer_ny).utcoffset() == datetime.timedelta(hours=-4)
    for fine in (TOKYO_PYTZ.localize(datetime.datetime(2024, 1, 1, 9)),
                 tz.localize(datetime.datetime(1880, 1, 1), TOKYO_PYTZ),  # really LMT in 1880
                 tz.localize(datetime.datetime(2024, 1, 1, 9), tz.JST)):
        assert tz.repair_pytz_replace(fine) is fine


@pytest.mark.parametrize("new_york", ALL_NY, ids=repr)
def test_missing_local_time_is_shifted_forward_by_the_gap(new_york):
    # 2021-03-14 02:30 never happened in New York: clocks went 01:59:59 EST -> 03:00 EDT.
    value = tz.localize(datetime.datetime(2021, 3, 14, 2, 30), new_york)
    assert tz.wall_clock(value, new_york) == datetime.datetime(2021, 3, 14, 3, 30)
    assert value.utcoffset() == datetime.timedelta(hours=-4)
    assert tz.to_utc_naive(value) == datetime.datetime(2021, 3, 14, 7, 30)


@pytest.mark.parametrize("new_york", ALL_NY, ids=repr)
def test_ambiguous_local_time_takes_the_earlier_instant(new_york):
    # 2021-11-07 01:30 happened twice: 05:30 UTC (EDT) and 06:30 UTC (EST).
    value = tz.localize(datetime.datetime(2021, 11, 7, 1, 30), new_york)
    assert value.utcoffset() == datetime.timedelta(hours=-4)
    assert tz.to_utc_naive(value) == datetime.datetime(2021, 11, 7, 5, 30)


@pytest.mark.parametrize("new_york", ALL_NY, ids=repr)
def test_strict_raises_on_missing_and_ambiguous_times(new_york):
    with pytest.raises(tz.NonExistentTimeError, match="2021-03-14T02:30:00 does not exist"):
        tz.localize(datetime.datetime(2021, 3, 14, 2, 30), new_york, strict=True)
    with pytest.raises(tz.AmbiguousTimeError, match="2021-11-07T01:30:00 happens 2 times"):
        tz.localize(datetime.datetime(2021, 11, 7, 1, 30), new_york, strict=True)
    with pytest.raises(pytz.AmbiguousTimeError):  # also the pytz exception
        tz.localize(datetime.datetime(2021, 11, 7, 1, 30), new_york, strict=True)
    ordinary = tz.localize(datetime.datetime(2021, 7, 4, 12, 0), new_york, strict=True)
    assert tz.to_utc_naive(ordinary) == datetime.datetime(2021, 7, 4, 16, 0)


def test_pytz_and_zoneinfo_agree_on_every_hour_around_both_changes():
    for start in (datetime.datetime(2021, 3, 13, 20), datetime.datetime(2021, 11, 6, 20)):
        for minutes in range(0, 12 * 60, 15):
            wall = start + datetime.timedelta(minutes=minutes)
            via_zoneinfo = tz.localize(wall, NY_ZONEINFO)
            via_pytz = tz.localize(wall, NY_PYTZ)
            assert tz.to_utc_naive(via_zoneinfo) == tz.to_utc_naive(via_pytz), wall
            assert via_zoneinfo.utcoffset() == via_pytz.utcoffset(), wall


def test_second_occurrence_of_an_ambiguous_time_survives_a_round_trip_when_aware():
    second = tz.from_utc_naive(datetime.datetime(2021, 11, 7, 6, 30), NY_ZONEINFO)
    assert tz.wall_clock(second, NY_ZONEINFO) == datetime.datetime(2021, 11, 7, 1, 30)
    assert tz.to_utc_naive(second) == datetime.datetime(2021, 11, 7, 6, 30)
    second_pytz = tz.to_zone(second, NY_PYTZ)
    assert second_pytz.utcoffset() == datetime.timedelta(hours=-5)


def test_a_whole_skipped_day():
    apia = zoneinfo.ZoneInfo("Pacific/Apia")  # skipped 2011-12-30 entirely
    value = tz.localize(datetime.datetime(2011, 12, 30, 12, 0), apia)
    assert tz.wall_clock(value, apia) == datetime.datetime(2011, 12, 31, 12, 0)


def test_naive_and_aware_misuse_is_refused():
    with pytest.raises(ValueError, match="naive"):
        tz.to_utc_naive(datetime.datetime(2024, 1, 1))
    assert tz.to_utc_naive(datetime.datetime(2024, 1, 1, 9), assume=tz.JST) == datetime.datetime(2024, 1, 1)
    aware = tz.localize(datetime.datetime(2024, 1, 1), tz.JST)
    with pytest.raises(ValueError, match="already aware"):
        tz.localize(aware, tz.JST)
    with pytest.raises(ValueError, match="already aware"):
        tz.from_utc_naive(aware)
    with pytest.raises(TypeError, match="datetime.datetime"):
        tz.to_utc_naive(datetime.date(2024, 1, 1))


def test_now_is_aware_in_the_zone_or_naive_utc():
    before = datetime.datetime.now(datetime.timezone.utc)
    aware = tz.now(tz.JST)
    naive = tz.now()
    after = datetime.datetime.now(datetime.timezone.utc)
    assert aware.utcoffset() == datetime.timedelta(hours=9)
    assert before <= aware <= after
    assert naive.tzinfo is None
    assert tz.to_utc_naive(before) <= naive <= tz.to_utc_naive(after)


@pytest.mark.parametrize("name", ["America/New_York", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Tokyo",
                                  "Europe/London"])
def test_zoneinfo_fast_path_agrees_with_the_generic_search(name):
    """ZoneInfo uses PEP 495's fold=0; pytz zones go through the offset search. Same answers."""
    fast, generic = zoneinfo.ZoneInfo(name), pytz.timezone(name)
    starts = [datetime.datetime(1948, 5, 1), datetime.datetime(2011, 12, 29), datetime.datetime(2021, 3, 13),
              datetime.datetime(2021, 4, 3), datetime.datetime(2021, 10, 2), datetime.datetime(2021, 11, 6)]
    for start in starts:
        for minutes in range(0, 72 * 60, 30):
            wall = start + datetime.timedelta(minutes=minutes)
            assert tz.to_utc_naive(tz.localize(wall, fast)) == tz.to_utc_naive(tz.localize(wall, generic)), wall
            outcomes = []
            for zone_object in (fast, generic):
                try:
                    tz.localize(wall, zone_object, strict=True)
                    outcomes.append("ok")
                except tz.AmbiguousTimeError:
                    outcomes.append("ambiguous")
                except tz.NonExistentTimeError:
                    outcomes.append("missing")
            assert outcomes[0] == outcomes[1], (wall, outcomes)
