"""compat.ndb_legacy.Expando: dynamic attributes stored and read back as legacy db.Expando did (emulator).

Observed on the legacy SDK (differential programs c008, e001, tz001, m002).
"""

import datetime

import pytz
from google.cloud import ndb

from compat import ndb_legacy


class LegacyHelperBag(ndb_legacy.Expando):
    name = ndb.StringProperty()


def test_a_new_value_replaces_the_old_whatever_its_type(ndb_context, clean_datastore):
    b = LegacyHelperBag(id="b")
    b.value = 5
    b.put()
    b.value = "five"
    b.put()
    back = LegacyHelperBag.get_by_id("b")
    assert back.value == "five"
    assert LegacyHelperBag.query(ndb.GenericProperty("value") == 5).count() == 0
    assert LegacyHelperBag.query(ndb.GenericProperty("value") == "five").count() == 1


def test_keys_and_datetimes_read_back_as_legacy_gave_them(ndb_context, clean_datastore):
    b = LegacyHelperBag(id="b", name="n")
    b.ref = ndb.Key("Other", "o")
    b.when = datetime.datetime(2010, 10, 10, 10, 10)
    b.aware = pytz.timezone("Asia/Tokyo").localize(datetime.datetime(2015, 1, 1, 9))
    b.put()
    back = LegacyHelperBag.get_by_id("b")
    assert back.ref == ndb.Key("Other", "o") and isinstance(back.ref, ndb.Key)
    assert type(back.when) is datetime.datetime and back.when == datetime.datetime(2010, 10, 10, 10, 10)
    assert back.aware == datetime.datetime(2015, 1, 1, 0, 0) and back.aware.tzinfo is None
    assert sorted(ndb_legacy.dynamic_properties(back)) == ["aware", "ref", "when"]
    del back.when
    back.put()
    assert sorted(ndb_legacy.dynamic_properties(LegacyHelperBag.get_by_id("b"))) == ["aware", "ref"]


def test_text_values_are_unindexed_with_meaning_15(ndb_context, clean_datastore):
    from google.cloud.ndb import model

    b = LegacyHelperBag(id="b")
    b.body = ndb_legacy.Text("long text")
    b.title = "short"
    ds = model._entity_to_ds_entity(b)
    assert "body" in ds.exclude_from_indexes and "title" not in ds.exclude_from_indexes
    assert ds._meanings["body"][0] == 15


class LegacyHelperProfile(ndb_legacy.Expando):
    name = ndb_legacy.StringProperty(required=True)


def test_keyword_construction_checks_required_properties(ndb_context, clean_datastore):
    import pytest
    from google.cloud.ndb import exceptions

    with pytest.raises(exceptions.BadValueError, match="Property name is required"):
        LegacyHelperProfile(city="x")
    LegacyHelperProfile(id="p", name="Ann", city="Oslo").put()
    assert LegacyHelperProfile.get_by_id("p").city == "Oslo"  # loading (no keywords) is not refused
