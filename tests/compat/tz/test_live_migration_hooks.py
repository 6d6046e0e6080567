"""``stored_as=`` properties and the per-entity migration marker, unit level (entities in memory, no RPC).

The emulator scenario (a migration interrupted half-way under a live app) is
in test_live_migration.py; here every branch of the load and write rules.
"""

import datetime
import zoneinfo

import pytest
from google.cloud.datastore import Entity, Key
from google.cloud.datastore_v1.types import entity as ent

import compat.tz as tz
from compat import db
from compat.db import _mapper
from compat.db.properties import datetimes
from compat.tz import marker
from compat.tz.migrate.rewrite import Rewriter

NY = zoneinfo.ZoneInfo("America/New_York")
MARKER = marker.DEFAULT_MARKER
WALL = datetime.datetime(2024, 1, 2, 0, 30)  # Japan wall-clock time as legacy data holds it
INSTANT = tz.localize(WALL, tz.JST)  # = 2024-01-01 15:30 UTC
UTC_FORM = datetime.datetime(2024, 1, 1, 15, 30)


class HookRow(db.Model):
    title = db.StringProperty()
    created = db.DateTimeProperty(stored_as=tz.JST)
    updated = db.DateTimeProperty(stored_as=tz.JST, indexed=False)
    aware = db.DateTimeProperty(tzinfo=tz.JST)
    legacy = db.DateTimeProperty()
    ignoring = db.DateTimeProperty(stored_as=tz.JST, migration_marker=None)


class HookRowWrites(db.Model):
    created = db.DateTimeProperty(stored_as=tz.JST, migrate_writes=True)
    stamped = db.DateTimeProperty(stored_as=tz.JST, auto_now=True)


class HookRowExpando(db.Expando):
    created = db.DateTimeProperty(stored_as=tz.JST)


class HookRowDefault(db.Model):
    created = db.DateTimeProperty()


class HookRowNy(db.Model):
    created = db.DateTimeProperty(stored_as=NY)


class HookRowPlain(db.Model):
    title = db.StringProperty()
    count = db.IntegerProperty()


@pytest.fixture(autouse=True)
def _no_global_default():
    tz.set_default_timezone(None)
    yield
    tz.set_default_timezone(None)


def _aware_utc(naive):
    return tz.from_utc_naive(naive)


def _entity(kind, ident=1, **values):
    entity = Entity(key=Key(kind, ident, project="hooks"), exclude_from_indexes=(MARKER,))
    entity.update(values)
    return entity


def _entry(name, stored, zone="Asia/Tokyo"):
    return marker.format_entry(name, zone, marker.digest_of(stored))


def _entries(entity):
    return marker.parse_entries(entity[MARKER])


# -- the shared marker module ----------------------------------------------------------


@pytest.mark.parametrize("value", [
    datetime.datetime(2024, 1, 1, 15, 30, 12, 345678),
    datetime.datetime(1969, 12, 31, 23, 59, 59, 500000),  # before the epoch: negative seconds, positive nanos
    datetime.datetime(1, 1, 1),
])
def test_digest_of_a_datetime_equals_the_migrations_digest_of_the_timestamp(value):
    pb = ent.Value.pb(ent.Value())
    delta = value - datetime.datetime(1970, 1, 1)
    pb.timestamp_value.seconds = delta.days * 86400 + delta.seconds
    pb.timestamp_value.nanos = delta.microseconds * 1000
    rewriter = Rewriter(["p"], tz.JST)
    assert marker.digest_of(value) == marker.digest_of(_aware_utc(value)) == rewriter.marker_entry(
        "p", pb).rsplit("\t", 1)[1]
    assert marker.digest_of([value, None]) == marker.digest_of([value]) != marker.digest_of(None)


def test_parse_and_state():
    entity = _entity("HookRow", created=_aware_utc(UTC_FORM), updated=_aware_utc(UTC_FORM))
    assert marker.state(entity, "created") == marker.NOT_MIGRATED
    entity[MARKER] = [_entry("created", UTC_FORM), _entry("updated", WALL), "broken"]
    entries = _entries(entity)
    assert list(entries) == ["created", "updated", "broken"]
    assert entries["created"] == ("Asia/Tokyo", marker.digest_of(UTC_FORM), _entry("created", UTC_FORM))
    assert entries["broken"].digest == ""
    assert marker.state(entity, "created") == marker.MIGRATED
    assert marker.state(entity, "updated") == marker.CHANGED
    assert marker.parse_entries("created\tAsia/Tokyo\tutc 0") is None
    assert marker.parse_entries([1]) is None
    entity[MARKER] = "not a list"
    assert marker.state(entity, "created") == marker.NOT_MIGRATED
    assert datetimes.DEFAULT_MIGRATION_MARKER == marker.DEFAULT_MARKER


# -- loading ---------------------------------------------------------------------------


def test_unmarked_values_are_wall_clock_and_marked_ones_utc():
    plain = HookRow.from_entity(_entity("HookRow", created=_aware_utc(WALL)))
    assert plain.created == INSTANT
    migrated = HookRow.from_entity(_entity(
        "HookRow", 2, created=_aware_utc(UTC_FORM), updated=_aware_utc(WALL),
        **{MARKER: [_entry("created", UTC_FORM)]}))
    assert migrated.created == INSTANT and migrated.created.tzinfo is tz.JST
    assert migrated.updated == INSTANT  # no entry for it: still wall clock


def test_an_entry_whose_digest_does_not_match_reads_the_declared_convention():
    entity = _entity("HookRow", created=_aware_utc(WALL), **{MARKER: [_entry("created", UTC_FORM)]})
    assert HookRow.from_entity(entity).created == INSTANT  # wall clock, as declared


def test_properties_storing_utc_and_opted_out_ones_ignore_the_marker():
    stored = _aware_utc(UTC_FORM)
    entity = _entity("HookRow", aware=stored, legacy=stored, ignoring=stored,
                     **{MARKER: [_entry(n, UTC_FORM) for n in ("aware", "legacy", "ignoring")]})
    row = HookRow.from_entity(entity)
    assert row.aware == INSTANT
    assert row.legacy == UTC_FORM and row.legacy.tzinfo is None
    assert row.ignoring == tz.localize(UTC_FORM, tz.JST)  # migration_marker=None: always wall clock


def test_the_global_stored_as_default_honours_the_marker_too():
    entity = _entity("HookRowDefault", created=_aware_utc(UTC_FORM), **{MARKER: [_entry("created", UTC_FORM)]})
    with tz.default_timezone(tz.JST, stored_as=tz.JST):
        assert HookRowDefault.from_entity(entity).created == INSTANT
        assert HookRowDefault.from_entity(_entity("HookRowDefault", created=_aware_utc(WALL))).created == INSTANT
    assert HookRowDefault.from_entity(entity).created == UTC_FORM  # legacy again


def test_a_dst_zone_reads_the_utc_instant_not_the_wall_time():
    second_half_past_one = datetime.datetime(2021, 11, 7, 6, 30)  # 01:30 EST, the later of the two
    entity = _entity("HookRowNy", created=_aware_utc(second_half_past_one),
                     **{MARKER: [_entry("created", second_half_past_one, "America/New_York")]})
    loaded = HookRowNy.from_entity(entity).created
    assert tz.to_utc_naive(loaded) == second_half_past_one and loaded.utcoffset() == datetime.timedelta(hours=-5)


def test_projection_entities_are_not_given_to_the_hook():
    entity = _entity("HookRow", created=_aware_utc(UTC_FORM), **{MARKER: [_entry("created", UTC_FORM)]})
    entity._compat_projection = ("created",)
    assert HookRow._load_entity_values(entity)["created"] == tz.localize(UTC_FORM, tz.JST)


def test_models_without_such_properties_have_no_hooks():
    assert HookRowPlain._entity_hooks == ()
    assert [(t, [p.name for p in props], [p.name for p in always]) for t, props, always in HookRow._entity_hooks] == [
        (MARKER, ["created", "updated", "aware", "legacy"], [])]
    assert [[p.name for p in always] for _, _, always in HookRowWrites._entity_hooks] == [["created"]]


# -- writing ---------------------------------------------------------------------------


def test_a_migrated_value_is_written_as_utc_and_its_entry_updated():
    other = "history\tAsia/Tokyo\tutc 0123456789abcdef"
    loaded = _entity("HookRow", created=_aware_utc(UTC_FORM), updated=_aware_utc(WALL),
                     **{MARKER: [_entry("created", UTC_FORM), other]})
    row = HookRow.from_entity(loaded)
    later = INSTANT + datetime.timedelta(hours=1)
    row.created = later
    written = _mapper.entity_for_put(row)
    assert written["created"] == UTC_FORM + datetime.timedelta(hours=1)
    assert written["updated"] == WALL  # not migrated: stays wall clock
    assert written[MARKER] == [_entry("created", written["created"]), other]  # other entries kept as read
    assert MARKER in written.exclude_from_indexes and MARKER not in written._meanings
    assert marker.state(written, "created") == marker.MIGRATED
    assert marker.state(written, "updated") == marker.NOT_MIGRATED
    assert HookRow.from_entity(written).created == later


def test_an_unmarked_entity_and_a_new_one_keep_wall_clock_time_by_default():
    row = HookRow.from_entity(_entity("HookRow", created=_aware_utc(WALL)))
    written = _mapper.entity_for_put(row)
    assert written["created"] == WALL and MARKER not in written
    fresh = _mapper.entity_for_put(HookRow(_app="hooks", created=INSTANT))
    assert fresh["created"] == WALL and MARKER not in fresh


def test_migrate_writes_stores_utc_with_a_marker_for_new_and_unmigrated_entities():
    fresh = _mapper.entity_for_put(HookRowWrites(_app="hooks", created=INSTANT))
    assert fresh["created"] == UTC_FORM
    assert marker.state(fresh, "created") == marker.MIGRATED
    assert marker.state(fresh, "stamped") == marker.NOT_MIGRATED  # no migrate_writes on that one
    old = HookRowWrites.from_entity(_entity("HookRowWrites", created=_aware_utc(WALL)))
    written = _mapper.entity_for_put(old)
    assert written["created"] == UTC_FORM and marker.state(written, "created") == marker.MIGRATED
    empty = _mapper.entity_for_put(HookRowWrites(_app="hooks"))
    assert empty["created"] is None and MARKER not in empty


def test_a_value_changed_since_migration_is_kept_as_read_unless_the_app_changes_it():
    entry = _entry("created", UTC_FORM)  # the migration's entry; someone wrote wall clock since
    loaded = _entity("HookRow", created=_aware_utc(WALL), **{MARKER: [entry]})
    untouched = HookRow.from_entity(loaded)
    untouched.title = "edited"
    written = _mapper.entity_for_put(untouched)
    assert written["created"] == WALL and written[MARKER] == [entry]
    assert marker.state(written, "created") == marker.CHANGED  # still reported by the migration
    changed = HookRow.from_entity(loaded)
    changed.created = INSTANT + datetime.timedelta(minutes=1)
    written = _mapper.entity_for_put(changed)
    assert written["created"] == UTC_FORM + datetime.timedelta(minutes=1)
    assert marker.state(written, "created") == marker.MIGRATED


def test_setting_a_migrated_value_to_none_keeps_the_entity_consistent():
    row = HookRow.from_entity(_entity("HookRow", created=_aware_utc(UTC_FORM),
                                      **{MARKER: [_entry("created", UTC_FORM)]}))
    row.created = None
    written = _mapper.entity_for_put(row)
    assert written["created"] is None and marker.state(written, "created") == marker.MIGRATED
    again = HookRow.from_entity(written)
    again.created = INSTANT
    assert _mapper.entity_for_put(again)["created"] == UTC_FORM  # still a migrated entity


def test_auto_now_on_a_migrated_entity_stores_the_instant_in_memory_as_utc():
    loaded = _entity("HookRowWrites", created=_aware_utc(UTC_FORM), stamped=_aware_utc(UTC_FORM),
                     **{MARKER: [_entry("created", UTC_FORM), _entry("stamped", UTC_FORM)]})
    row = HookRowWrites.from_entity(loaded)
    written = _mapper.entity_for_put(row)
    assert row.stamped.tzinfo is tz.JST and row.stamped > INSTANT
    assert written["stamped"] == tz.to_utc_naive(row.stamped)
    assert marker.state(written, "stamped") == marker.MIGRATED


def test_the_global_default_writes_follow_the_marker():
    with tz.default_timezone(tz.JST, stored_as=tz.JST):
        row = HookRowDefault.from_entity(_entity("HookRowDefault", created=_aware_utc(UTC_FORM),
                                                 **{MARKER: [_entry("created", UTC_FORM)]}))
        written = _mapper.entity_for_put(row)["created"]  # unchanged: the timestamp read, written back as it is
        assert written == _aware_utc(UTC_FORM) and tz.to_utc_naive(written) == UTC_FORM


def test_a_marker_that_is_not_a_list_of_strings_is_left_alone():
    loaded = _entity("HookRow", created=_aware_utc(WALL), **{MARKER: "garbage"})
    row = HookRow.from_entity(loaded)
    assert row.created == INSTANT
    written = _mapper.entity_for_put(row)
    assert written["created"] == WALL and written[MARKER] == "garbage"


def test_expando_keeps_the_marker_dynamic_property_in_step():
    loaded = _entity("HookRowExpando", created=_aware_utc(UTC_FORM), note="x",
                     **{MARKER: [_entry("created", UTC_FORM)]})
    row = HookRowExpando.from_entity(loaded)
    assert row.created == INSTANT and MARKER in row.dynamic_properties()
    row.created = INSTANT + datetime.timedelta(hours=2)
    first = _mapper.entity_for_put(row)
    _mapper.mark_saved(row, first, first.key)
    assert getattr(row, MARKER) == first[MARKER] == [_entry("created", first["created"])]
    second = _mapper.entity_for_put(row)
    assert second["created"] == UTC_FORM + datetime.timedelta(hours=2)
    assert second[MARKER] == first[MARKER] and second["note"] == "x"


# -- bad input -------------------------------------------------------------------------


def test_options_are_checked():
    with pytest.raises(db.BadValueError, match="DateProperty takes no migration_marker"):
        db.DateProperty(stored_as=tz.JST, migrate_writes=True)
    with pytest.raises(db.BadValueError, match="TimeProperty takes no migration_marker"):
        db.TimeProperty(migration_marker="other")
    with pytest.raises(db.BadValueError, match="migration_marker must be the marker property's name"):
        db.DateTimeProperty(stored_as=tz.JST, migration_marker="")
    with pytest.raises(db.BadValueError, match="migrate_writes=True needs a migration_marker"):
        db.DateTimeProperty(stored_as=tz.JST, migration_marker=None, migrate_writes=True)


class HookRowSwitched(db.Model):
    """After the migration: UTC storage, still marking what it writes (for instances still on stored_as)."""

    created = db.DateTimeProperty(tzinfo=tz.JST, migrate_writes=True)


def test_a_utc_property_with_migrate_writes_certifies_its_writes():
    fresh = _mapper.entity_for_put(HookRowSwitched(_app="hooks", created=INSTANT))
    assert fresh["created"] == UTC_FORM
    assert fresh[MARKER] == [marker.format_entry("created", "UTC", marker.digest_of(UTC_FORM))]
    assert HookRow.from_entity(_entity("HookRow", created=_aware_utc(UTC_FORM), **{MARKER: fresh[MARKER]})
                               ).created == INSTANT  # an app still on stored_as reads it right
    migrated_entry = _entry("created", UTC_FORM)
    loaded = _entity("HookRowSwitched", created=_aware_utc(UTC_FORM), **{MARKER: [migrated_entry]})
    assert _mapper.entity_for_put(HookRowSwitched.from_entity(loaded))[MARKER] == [migrated_entry]  # unchanged
    row = HookRowSwitched.from_entity(loaded)
    row.created = None
    written = _mapper.entity_for_put(row)
    assert written["created"] is None and marker.state(written, "created") == marker.MIGRATED
    assert MARKER not in _mapper.entity_for_put(HookRowSwitched(_app="hooks"))  # nothing to certify
    plain = HookRow.from_entity(_entity("HookRow", aware=_aware_utc(UTC_FORM), **{MARKER: [migrated_entry]}))
    plain.aware = INSTANT + datetime.timedelta(hours=1)
    assert _mapper.entity_for_put(plain)[MARKER] == [migrated_entry]  # no migrate_writes: the marker is not its business
