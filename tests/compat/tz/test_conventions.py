"""compat.tz.conventions: legacy, aware and wall-clock storage conventions (pure, no storage)."""

import datetime
import zoneinfo

import pytest
import pytz

import compat.tz as tz
from compat.tz.conventions import resolve

NY = zoneinfo.ZoneInfo("America/New_York")
UTC_NOON = datetime.datetime(2024, 1, 1, 12, 0)
TOKYO_NOON = tz.localize(datetime.datetime(2024, 1, 1, 12, 0), tz.JST)  # 03:00 UTC


@pytest.fixture(autouse=True)
def _no_global_default():
    tz.set_default_timezone(None)
    yield
    tz.set_default_timezone(None)


class TestLegacy:
    def test_aware_input_is_stored_as_naive_utc_and_naive_is_kept(self):
        legacy = resolve()
        assert not legacy.aware
        assert legacy.to_storage(TOKYO_NOON) == datetime.datetime(2024, 1, 1, 3, 0)
        assert legacy.to_storage(UTC_NOON) == UTC_NOON
        assert legacy.to_storage(UTC_NOON).tzinfo is None

    def test_values_come_back_naive_utc(self):
        legacy = resolve()
        assert legacy.from_storage(UTC_NOON) == UTC_NOON
        as_read = pytz.utc.localize(UTC_NOON)  # google-cloud-datastore gives aware UTC
        assert legacy.from_storage(as_read) == UTC_NOON
        assert legacy.from_storage(as_read).tzinfo is None
        assert legacy.from_storage(None) is None

    def test_now_is_naive_utc(self):
        value = resolve().now()
        assert value.tzinfo is None
        assert abs(value - tz.now()) < datetime.timedelta(seconds=5)

    def test_dates_and_times_of_datetimes_are_utc(self):
        legacy = resolve()
        assert legacy.to_date(TOKYO_NOON.replace(hour=8)) == datetime.date(2023, 12, 31)
        assert legacy.to_time(TOKYO_NOON) == datetime.time(3, 0)
        # Legacy db keeps an aware time's wall-clock time, unconverted.
        assert legacy.to_time(tz.localize(datetime.datetime(1970, 1, 1, 9, 0), tz.UTC).timetz()) == datetime.time(9, 0)

    def test_non_datetimes_are_refused(self):
        with pytest.raises(TypeError, match="datetime.datetime"):
            resolve().to_storage(datetime.date(2024, 1, 1))
        with pytest.raises(TypeError, match="stored timestamp"):
            resolve().from_storage("2024-01-01")


class TestAware:
    @pytest.mark.parametrize("zone", [tz.JST, pytz.timezone("Asia/Tokyo"), "Asia/Tokyo"], ids=repr)
    def test_values_come_back_in_the_zone(self, zone):
        jst = resolve(tzinfo=zone)
        assert jst.aware
        loaded = jst.from_storage(datetime.datetime(2024, 1, 1, 15, 30))
        assert loaded.utcoffset() == datetime.timedelta(hours=9)
        assert tz.wall_clock(loaded, tz.JST) == datetime.datetime(2024, 1, 2, 0, 30)

    def test_aware_input_in_any_zone_is_stored_as_its_utc_instant(self):
        jst = resolve(tzinfo=tz.JST)
        for value in (TOKYO_NOON, tz.to_zone(TOKYO_NOON, NY), tz.to_zone(TOKYO_NOON, pytz.timezone("Europe/Paris"))):
            assert jst.to_storage(value) == datetime.datetime(2024, 1, 1, 3, 0)

    def test_naive_policy_defaults_to_utc(self):
        jst = resolve(tzinfo=tz.JST)
        assert jst.naive == "utc"
        assert jst.to_storage(UTC_NOON) == UTC_NOON

    def test_naive_local_is_the_property_zone(self):
        jst = resolve(tzinfo=tz.JST, naive="local")
        assert jst.to_storage(datetime.datetime(2024, 1, 1, 12, 0)) == datetime.datetime(2024, 1, 1, 3, 0)
        ny = resolve(tzinfo=NY, naive="local")
        assert ny.to_storage(datetime.datetime(2021, 3, 14, 2, 30)) == datetime.datetime(2021, 3, 14, 7, 30)
        assert ny.to_storage(datetime.datetime(2021, 11, 7, 1, 30)) == datetime.datetime(2021, 11, 7, 5, 30)

    def test_naive_local_strict_raises_on_dst_holes(self):
        ny = resolve(tzinfo=NY, naive="local", strict=True)
        with pytest.raises(tz.NonExistentTimeError):
            ny.to_storage(datetime.datetime(2021, 3, 14, 2, 30))
        with pytest.raises(tz.AmbiguousTimeError):
            ny.to_storage(datetime.datetime(2021, 11, 7, 1, 30))

    def test_naive_reject(self):
        jst = resolve(tzinfo=tz.JST, naive="reject")
        with pytest.raises(tz.NaiveDatetimeError, match="naive='reject'"):
            jst.to_storage(UTC_NOON)
        with pytest.raises(tz.NaiveDatetimeError):
            jst.to_date(UTC_NOON)
        assert jst.to_storage(TOKYO_NOON) == datetime.datetime(2024, 1, 1, 3, 0)

    def test_bad_arguments_are_named(self):
        with pytest.raises(ValueError, match="naive='utc-ish' is not a naive-datetime policy"):
            resolve(tzinfo=tz.JST, naive="utc-ish")
        with pytest.raises(ValueError, match="naive='local' needs a zone"):
            resolve(naive="local")
        with pytest.raises(tz.UnknownTimeZoneError):
            resolve(tzinfo="Asia/Tokio")

    def test_now_is_aware_and_stores_the_same_instant(self):
        for convention in (resolve(tzinfo=tz.JST), resolve(stored_as=tz.JST), resolve(tzinfo=NY)):
            value = convention.now()
            assert value.utcoffset() is not None
            assert convention.from_storage(convention.to_storage(value)) == value

    def test_date_of_a_datetime_is_the_calendar_date_in_the_zone(self):
        jst = resolve(tzinfo=tz.JST)
        half_past_midnight = tz.localize(datetime.datetime(2024, 1, 2, 0, 30), tz.JST)
        assert jst.to_date(half_past_midnight) == datetime.date(2024, 1, 2)
        assert resolve().to_date(half_past_midnight) == datetime.date(2024, 1, 1)
        # naive "utc" 2024-01-01 15:30 UTC is 2 January in Japan
        assert jst.to_date(datetime.datetime(2024, 1, 1, 15, 30)) == datetime.date(2024, 1, 2)
        assert jst.to_date(datetime.date(2024, 1, 1)) == datetime.date(2024, 1, 1)

    def test_time_of_a_datetime_is_the_time_of_day_in_the_zone(self):
        jst = resolve(tzinfo=tz.JST)
        assert jst.to_time(tz.localize(datetime.datetime(2024, 1, 2, 0, 30, 0, 5), tz.JST)) == (
            datetime.time(0, 30, 0, 5)
        )
        assert jst.to_time(datetime.time(8, 0)) == datetime.time(8, 0)
        with pytest.raises(ValueError, match="time of day with a zone"):
            jst.to_time(tz.localize(datetime.datetime(1970, 1, 1, 8, 0), tz.UTC).timetz())


class TestWallClock:
    def test_japan_wall_clock_loads_as_the_right_instant(self):
        stored_jst = resolve(stored_as=tz.JST)
        loaded = stored_jst.from_storage(datetime.datetime(2024, 1, 1, 12, 0))  # written as Japan noon
        assert loaded == TOKYO_NOON
        assert loaded.utcoffset() == datetime.timedelta(hours=9)
        in_utc = resolve(tzinfo=tz.UTC, stored_as=tz.JST).from_storage(datetime.datetime(2024, 1, 1, 12, 0))
        assert in_utc == TOKYO_NOON and in_utc.utcoffset() == datetime.timedelta(0)

    def test_writes_keep_the_wall_clock_convention(self):
        stored_jst = resolve(stored_as=tz.JST)
        assert stored_jst.naive == "local"
        assert stored_jst.to_storage(datetime.datetime(2024, 1, 1, 12, 0)) == datetime.datetime(2024, 1, 1, 12, 0)
        assert stored_jst.to_storage(tz.to_zone(TOKYO_NOON, tz.UTC)) == datetime.datetime(2024, 1, 1, 12, 0)
        assert resolve(stored_as=tz.JST, naive="utc").to_storage(UTC_NOON) == datetime.datetime(2024, 1, 1, 21, 0)

    def test_filter_values_compare_in_the_stored_convention(self):
        stored_jst = resolve(stored_as=tz.JST)
        lower = tz.localize(datetime.datetime(2024, 1, 1, 0, 0), tz.UTC)  # 09:00 in Japan
        assert stored_jst.to_storage(lower) == datetime.datetime(2024, 1, 1, 9, 0)

    def test_pytz_replace_trap_is_repaired_in_aware_modes_and_kept_in_legacy(self):
        trapped = datetime.datetime(2024, 1, 1, 12, 0).replace(tzinfo=pytz.timezone("Asia/Tokyo"))  # tz-trap: deliberate
        assert trapped.utcoffset() == datetime.timedelta(hours=9, minutes=19)
        # Aware and wall-clock modes read it as the 12:00 Japan time it was meant to be.
        assert resolve(stored_as=tz.JST).to_storage(trapped) == datetime.datetime(2024, 1, 1, 12, 0)
        assert resolve(tzinfo=tz.JST).to_storage(trapped) == datetime.datetime(2024, 1, 1, 3, 0)
        assert resolve(tzinfo=tz.JST).normalize(trapped) == TOKYO_NOON
        assert resolve(tzinfo=tz.JST).to_date(trapped.replace(hour=0, minute=5)) == datetime.date(2024, 1, 1)
        # Legacy mode stores what legacy db stored: +09:19 is 02:41 UTC.
        assert resolve().to_storage(trapped) == datetime.datetime(2024, 1, 1, 2, 41)

    def test_dst_zone_wall_clock(self):
        stored_ny = resolve(stored_as=NY)
        assert stored_ny.from_storage(datetime.datetime(2021, 3, 14, 2, 30)) == (
            tz.from_utc_naive(datetime.datetime(2021, 3, 14, 7, 30), NY)
        )
        assert tz.to_utc_naive(stored_ny.from_storage(datetime.datetime(2021, 11, 7, 1, 30))) == (
            datetime.datetime(2021, 11, 7, 5, 30)
        )

    def test_stored_as_utc_is_the_standard_storage(self):
        convention = resolve(tzinfo=tz.JST, stored_as="UTC")
        assert convention.stored_as is None
        assert convention.naive == "utc"
        assert convention.to_storage(TOKYO_NOON) == datetime.datetime(2024, 1, 1, 3, 0)


class TestGlobalDefault:
    def test_default_makes_argument_less_conventions_aware(self):
        legacy = resolve()
        assert not legacy.aware
        tz.set_default_timezone(tz.JST)
        assert legacy.aware
        assert legacy.from_storage(datetime.datetime(2024, 1, 1, 3, 0)) == TOKYO_NOON
        assert legacy.to_storage(UTC_NOON) == UTC_NOON  # naive still means UTC
        tz.set_default_timezone(None)
        assert legacy.from_storage(datetime.datetime(2024, 1, 1, 3, 0)) == datetime.datetime(2024, 1, 1, 3, 0)

    def test_property_arguments_win_one_by_one(self):
        with tz.default_timezone("Asia/Tokyo", stored_as=tz.JST):
            assert tz.get_default_timezone() == tz.JST
            in_utc = resolve(tzinfo=tz.UTC)
            assert in_utc.stored_as == tz.JST  # the data convention is global
            assert in_utc.tzinfo is tz.UTC
            assert resolve(stored_as=tz.UTC).stored_as is None  # opt one property out
        assert tz.get_default_timezone() is None

    def test_default_naive_policy(self):
        with tz.default_timezone(tz.JST, naive="reject"):
            with pytest.raises(tz.NaiveDatetimeError):
                resolve().to_storage(UTC_NOON)
            assert resolve(naive="utc").to_storage(UTC_NOON) == UTC_NOON
