"""Queries on time-zone-aware properties against the emulator: Model.all().filter and GQL literals."""

import datetime
import zoneinfo

import pytest
from google.cloud import datastore as raw_datastore

import compat.tz as tz
from compat import db

NY = zoneinfo.ZoneInfo("America/New_York")


class TzDiary(db.Model):
    written = db.DateTimeProperty(stored_as=tz.JST)  # legacy Japan-wall-clock data
    published = db.DateTimeProperty(tzinfo=tz.JST)  # UTC storage, aware in JST
    day = db.DateProperty(tzinfo=NY)


@pytest.fixture
def raw(datastore):
    return raw_datastore.Client(project=datastore.project)


@pytest.fixture
def legacy_rows(raw):
    """Rows as a legacy app wrote them: naive Japan time every 3 hours on 2010-03-15."""
    for hour in range(0, 24, 3):
        row = raw_datastore.Entity(raw.key("TzDiary", "h%02d" % hour))
        row["written"] = datetime.datetime(2010, 3, 15, hour, 0)
        row["published"] = datetime.datetime(2010, 3, 15, hour, 0)  # UTC storage
        raw.put(row)


def _names(results):
    return sorted(entity.key().name() for entity in results)


def test_range_query_with_aware_bounds_against_legacy_jst_data(legacy_rows):
    lower = tz.localize(datetime.datetime(2010, 3, 15, 0, 0), tz.UTC)  # 09:00 in Japan
    upper = tz.localize(datetime.datetime(2010, 3, 15, 9, 0), tz.UTC)  # 18:00 in Japan
    query = TzDiary.all().filter("written >=", lower).filter("written <", upper)
    results = list(query)
    assert _names(results) == ["h09", "h12", "h15"]
    assert all(lower <= r.written < upper for r in results)
    # the same bounds given in New York time select the same rows
    query = TzDiary.all().filter("written >=", tz.to_zone(lower, NY)).filter("written <", tz.to_zone(upper, NY))
    assert _names(query) == ["h09", "h12", "h15"]


def test_equality_and_order_on_wall_clock_data(legacy_rows):
    noon_japan = tz.localize(datetime.datetime(2010, 3, 15, 12, 0), tz.JST)
    assert _names(TzDiary.all().filter("written =", noon_japan)) == ["h12"]
    newest = TzDiary.all().order("-written").get()
    assert newest.written == tz.localize(datetime.datetime(2010, 3, 15, 21, 0), tz.JST)


def test_range_query_on_utc_storage_with_jst_bounds(legacy_rows):
    lower = tz.localize(datetime.datetime(2010, 3, 15, 18, 0), tz.JST)  # 09:00 UTC
    results = list(TzDiary.all().filter("published >=", lower))
    assert _names(results) == ["h09", "h12", "h15", "h18", "h21"]
    assert all(r.published.utcoffset() == datetime.timedelta(hours=9) for r in results)


def test_gql_datetime_literals_follow_the_naive_policy(legacy_rows):
    # stored_as=JST: a naive DATETIME() literal is Japan time
    wall = db.GqlQuery("SELECT * FROM TzDiary WHERE written >= DATETIME('2010-03-15 18:00:00')")
    assert _names(wall) == ["h18", "h21"]
    # tzinfo=JST with UTC storage: a naive literal is UTC, as in legacy GQL
    utc = db.GqlQuery("SELECT * FROM TzDiary WHERE published >= DATETIME('2010-03-15 18:00:00')")
    assert _names(utc) == ["h18", "h21"]
    bound = TzDiary.gql("WHERE written < :1", tz.localize(datetime.datetime(2010, 3, 15, 0, 0), tz.UTC))
    assert _names(bound) == ["h00", "h03", "h06"]


def test_date_property_filters_in_a_dst_zone(datastore):
    # 2021-03-14 03:30 UTC is still the 13th in New York
    late_evening = tz.from_utc_naive(datetime.datetime(2021, 3, 14, 3, 30), NY)
    TzDiary(key_name="a", day=late_evening).put()
    TzDiary(key_name="b", day=datetime.date(2021, 3, 14)).put()
    assert _names(TzDiary.all().filter("day =", datetime.date(2021, 3, 13))) == ["a"]
    assert _names(TzDiary.all().filter("day =", late_evening)) == ["a"]
    assert _names(db.GqlQuery("SELECT * FROM TzDiary WHERE day = DATE(2021, 3, 14)")) == ["b"]
