"""DateTimeProperty, DateProperty and TimeProperty: legacy storage and legacy quirks.

Legacy stored every one of them as a timestamp: a datetime converted to UTC
when aware, a date as midnight UTC of that day, a time as 1970-01-01 at that
time of day (an aware time keeps its wall-clock value, unconverted). Values
reload naive. The expected stored values were checked against the legacy
SDK's ``db.model_to_protobuf``.
"""

import datetime

import pytest

from compat import db

JST = datetime.timezone(datetime.timedelta(hours=9))
PST = datetime.timezone(datetime.timedelta(hours=-8))


class Times(db.Model):
    dt = db.DateTimeProperty()
    d = db.DateProperty()
    tm = db.TimeProperty()
    dts = db.ListProperty(datetime.datetime)


def test_an_aware_datetime_is_stored_as_utc_stays_aware_on_the_instance_and_reloads_naive(raw):
    noon_tokyo = datetime.datetime(2020, 1, 1, 12, 0, tzinfo=JST)
    instance = Times(dt=noon_tokyo)
    key = instance.put()

    assert raw.stored(key)["dt"] == ("timestamp", datetime.datetime(2020, 1, 1, 3, 0), None, False)
    assert instance.dt == noon_tokyo and instance.dt.tzinfo is JST
    reloaded = Times.get(key).dt
    assert reloaded == datetime.datetime(2020, 1, 1, 3, 0)
    assert reloaded.tzinfo is None


def test_an_aware_datetime_crossing_midnight_is_converted(raw):
    key = Times(dt=datetime.datetime(2020, 1, 1, 20, 30, tzinfo=PST)).put()
    assert raw.stored(key)["dt"].value == datetime.datetime(2020, 1, 2, 4, 30)


def test_an_aware_time_keeps_its_wall_clock_unconverted(raw):
    """Legacy quirk: TimeProperty ignores the tzinfo of a time (12:00+09:00 is stored as 12:00)."""
    key = Times(tm=datetime.time(12, 0, tzinfo=JST)).put()

    assert raw.stored(key)["tm"] == ("timestamp", datetime.datetime(1970, 1, 1, 12, 0), None, False)
    assert Times.get(key).tm == datetime.time(12, 0)


def test_aware_datetimes_in_a_list_are_stored_as_utc(raw):
    key = Times(dts=[datetime.datetime(2020, 6, 1, 9, 0, tzinfo=JST), datetime.datetime(2020, 6, 1)]).put()

    assert [item.value for item in raw.stored(key)["dts"].value] == [
        datetime.datetime(2020, 6, 1, 0, 0), datetime.datetime(2020, 6, 1)]
    assert Times.get(key).dts == [datetime.datetime(2020, 6, 1, 0, 0), datetime.datetime(2020, 6, 1)]


def test_date_is_stored_as_midnight_utc_and_time_as_1970_01_01(raw):
    key = Times(d=datetime.date(1969, 7, 20), tm=datetime.time(20, 17, 40)).put()

    stored = raw.stored(key)
    assert stored["d"] == ("timestamp", datetime.datetime(1969, 7, 20), None, False)
    assert stored["tm"] == ("timestamp", datetime.datetime(1970, 1, 1, 20, 17, 40), None, False)
    loaded = Times.get(key)
    assert (loaded.d, loaded.tm) == (datetime.date(1969, 7, 20), datetime.time(20, 17, 40))
    assert type(loaded.d) is datetime.date


def test_microseconds_and_extreme_dates_survive(raw):
    values = [datetime.datetime(1, 1, 1), datetime.datetime(9999, 12, 31, 23, 59, 59, 999999),
              datetime.datetime(1970, 1, 1, 0, 0, 0, 1)]
    for value in values:
        key = Times(dt=value).put()
        assert raw.stored(key)["dt"].value == value
        assert Times.get(key).dt == value


@pytest.mark.parametrize("prop, value", [
    ("dt", datetime.date(2020, 1, 1)),
    ("dt", "2020-01-01"),
    ("dt", 1577836800),
    ("d", datetime.datetime(2020, 1, 1)),
    ("d", "2020-01-01"),
    ("tm", datetime.datetime(2020, 1, 1)),
    ("tm", 3600),
], ids=["datetime<-date", "datetime<-str", "datetime<-int", "date<-datetime", "date<-str", "time<-datetime",
        "time<-int"])
def test_wrong_types_are_refused_with_bad_value_error(prop, value):
    with pytest.raises(db.BadValueError, match="Property %s must be a" % prop):
        Times(**{prop: value})


def test_falsy_non_datetime_values_pass_validation_as_in_legacy():
    """Legacy checked ``if value and not isinstance(...)``: an empty string is accepted (quirk kept)."""
    assert Times(dt="").dt == ""


class Stamped(db.Model):
    created = db.DateTimeProperty(auto_now_add=True)
    modified = db.DateTimeProperty(auto_now=True)
    day = db.DateProperty(auto_now=True)
    clock = db.TimeProperty(auto_now_add=True)


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def test_auto_now_and_auto_now_add_are_set_at_construction_as_naive_utc():
    before = _utcnow()
    instance = Stamped()
    after = _utcnow()

    assert before <= instance.created <= after
    assert before <= instance.modified <= after
    assert instance.created.tzinfo is None
    assert instance.day == after.date() or instance.day == before.date()
    assert isinstance(instance.clock, datetime.time)


def test_auto_now_is_refreshed_on_every_put_and_auto_now_add_is_kept(raw):
    instance = Stamped()
    created = instance.created
    instance.modified = datetime.datetime(2000, 1, 1)
    key = instance.put()

    stored = raw.stored(key)
    assert stored["created"].value == created
    assert stored["modified"].value > datetime.datetime(2000, 1, 1)
    assert instance.modified == stored["modified"].value
    assert stored["day"].value == datetime.datetime.combine(instance.day, datetime.time())
    assert stored["clock"].value.date() == datetime.date(1970, 1, 1)

    first_modified = instance.modified
    loaded = Stamped.get(key)
    loaded.put()
    again = raw.stored(key)
    assert again["created"].value == created
    assert again["modified"].value >= first_modified


def test_auto_now_add_keeps_an_explicit_value(raw):
    fixed = datetime.datetime(2001, 9, 9, 1, 46, 40)
    key = Stamped(created=fixed).put()
    assert raw.stored(key)["created"].value == fixed
