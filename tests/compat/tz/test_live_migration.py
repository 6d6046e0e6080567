"""Migrating Japan-wall-clock data while the app keeps running, against the emulator.

The app declares ``stored_as=tz.JST``; ``compat-tz-migrate`` is interrupted
half-way; meanwhile the app reads every entity as the right instant and
writes migrated and unmigrated entities; the migration resumes; every stored
value is then UTC, converted exactly once. Stored values are read raw
(Datastore v1 protobufs).
"""

import datetime

import pytest

import compat.tz as tz
from compat import db
from compat.tz import marker
from compat.tz.migrate.runner import Migration
import tzmigrate_helpers as le

MARKER = marker.DEFAULT_MARKER
MIGRATED = ("created", "updated", "history")
START = datetime.datetime(2023, 12, 31, 23, 30)  # Japan time; 14:30 UTC the day before


class LiveEntry(db.Model):
    title = db.StringProperty()
    created = db.DateTimeProperty(stored_as=tz.JST)
    updated = db.DateTimeProperty(stored_as=tz.JST, indexed=False)
    history = db.ListProperty(datetime.datetime)  # naive values as stored: see marker.migration_state


class LiveEntryWrites(db.Model):
    title = db.StringProperty()
    created = db.DateTimeProperty(stored_as=tz.JST, migrate_writes=True)
    updated = db.DateTimeProperty(stored_as=tz.JST, indexed=False, migrate_writes=True)
    history = db.ListProperty(datetime.datetime)


class LiveBag(db.Expando):
    created = db.DateTimeProperty(stored_as=tz.JST)


@pytest.fixture(autouse=True)
def _no_global_default():
    tz.set_default_timezone(None)
    yield
    tz.set_default_timezone(None)


def _wall(i):
    return START + datetime.timedelta(minutes=17 * i)


def _instant(wall):
    return tz.localize(wall, tz.JST)


def _utc(wall):
    return tz.to_utc_naive(_instant(wall))


def _seed(emulator, kind, count):
    """``count`` legacy entities (ids 1..count) of ``kind`` holding Japan wall-clock times."""
    api = le.client()
    entities = []
    for i in range(count):
        entity = le.legacy_entity(emulator.project, i + 1, created=_wall(i),
                                  updated=_wall(i) + datetime.timedelta(hours=1),
                                  history=[_wall(i), _wall(i) - datetime.timedelta(days=1)])
        entity.key = le.key(emulator.project, i + 1, kind=kind)
        entities.append(entity)
    le.put(api, emulator.project, entities)
    return api, [e.key for e in entities]


def _migration(emulator, kind, **options):
    options.setdefault("progress", False)
    return Migration(kind, list(MIGRATED), "Asia/Tokyo", project=emulator.project, apply=True, **options)


class _Crash(Exception):
    pass


def _crash_after(transactions):
    done = []

    def on_event(event, **info):
        if event == "chunk_done":
            done.append(info)
            if len(done) == transactions:
                raise _Crash("interrupted after %d transactions" % transactions)
    return on_event


def _raw(api, project, keys):
    return le.get_raw(api, project, keys)


def _raw_key(project, model_key):
    return le.key(project, model_key.id_or_name(), kind=model_key.kind())


def _state(entity_pb, name):
    """The marker state of a raw protobuf's property (the migration's own view)."""
    strings = ([v.string_value for v in entity_pb.properties[MARKER].array_value.values]
               if MARKER in entity_pb.properties else None)
    values = {name: le.stamp(entity_pb.properties[name])} if name in entity_pb.properties else {}
    if name in entity_pb.properties and entity_pb.properties[name].HasField("array_value"):
        values[name] = [le.stamp(v) for v in entity_pb.properties[name].array_value.values]
    if strings is not None:
        values[MARKER] = strings
    return marker.state(values, name)


def test_half_migrated_kind_reads_right_and_resumes_without_double_shift(clean_datastore):
    project = clean_datastore.project
    api, keys = _seed(clean_datastore, "LiveEntry", 12)
    # pages of 4 keys, transactions of 2: interrupted after the 3rd transaction, i.e. 6 converted
    # and the checkpoint after the first page only.
    with pytest.raises(_Crash):
        _migration(clean_datastore, "LiveEntry", batch_size=4, group_size=2, on_event=_crash_after(3)).run()
    half = _raw(api, project, keys)
    assert [MARKER in e.properties for e in half] == [True] * 6 + [False] * 6
    assert le.stamp(half[0].properties["created"]) == _utc(_wall(0))
    assert le.stamp(half[11].properties["created"]) == _wall(11)

    # The app, half-way: every entity reads as the right instant, by key and by query.
    app_keys = [db.Key.from_path("LiveEntry", i + 1) for i in range(12)]
    for i, entry in enumerate(LiveEntry.get(app_keys)):
        assert entry.created == _instant(_wall(i)), i
        assert entry.updated == _instant(_wall(i) + datetime.timedelta(hours=1)), i
        # ListProperty values are naive as stored: the marker tells the app which convention they are in
        state = marker.migration_state(entry, "history")
        assert state == (marker.MIGRATED if i < 6 else marker.NOT_MIGRATED)
        first = entry.history[0]
        assert (tz.from_utc_naive(first) if state == marker.MIGRATED else _instant(first)) == _instant(_wall(i))
    assert [e.created for e in LiveEntry.all().order("__key__").fetch(20)] == [_instant(_wall(i)) for i in range(12)]

    # The app writes: a migrated entity (new value), a migrated one (other property only), an
    # unmigrated one (new value), and a new entity.
    new_value = tz.localize(datetime.datetime(2024, 2, 1, 8, 0), tz.JST)  # 2024-01-31 23:00 UTC
    first, second, last = LiveEntry.get([app_keys[0], app_keys[1], app_keys[11]])
    first.created = new_value
    first.title = "edited while migrating"
    second.title = "title only"
    last.created = new_value + datetime.timedelta(minutes=11)
    # a key name: the emulator allocates ids sequentially and would reuse id 1 (production scatters them)
    fresh = LiveEntry(key_name="new", title="new", created=new_value + datetime.timedelta(minutes=22))
    db.put([first, second, last, fresh])
    fresh_key = _raw_key(project, fresh.key())
    marker_before = list(half[1].properties[MARKER].array_value.values)
    written = _raw(api, project, [keys[0], keys[1], keys[11], fresh_key])
    assert le.stamp(written[0].properties["created"]) == datetime.datetime(2024, 1, 31, 23, 0)  # UTC
    assert _state(written[0], "created") == marker.MIGRATED
    assert written[0].properties["updated"] == half[0].properties["updated"]  # untouched, still UTC
    assert _state(written[0], "history") == _state(written[0], "updated") == marker.MIGRATED
    assert written[1].properties["created"] == half[1].properties["created"]
    assert list(written[1].properties[MARKER].array_value.values) == marker_before
    assert le.stamp(written[2].properties["created"]) == datetime.datetime(2024, 2, 1, 8, 11)  # wall clock
    assert MARKER not in written[2].properties
    assert le.stamp(written[3].properties["created"]) == datetime.datetime(2024, 2, 1, 8, 22)
    assert MARKER not in written[3].properties
    assert [e.created for e in LiveEntry.get([app_keys[0], app_keys[11]])] == [
        new_value, new_value + datetime.timedelta(minutes=11)]

    # Resume: from the checkpoint after the first page.
    resumed = _migration(clean_datastore, "LiveEntry", batch_size=4, group_size=2).run()
    assert resumed.resumed
    # keys 5..12 and the new entity: 5 and 6 already migrated, 7..12 and the new one converted
    assert (resumed.scanned, resumed.converted, resumed.already_migrated,
            resumed.changed_since_migration, resumed.failed) == (9, 7, 2, 0, 0)
    assert (resumed.totals["scanned"], resumed.totals["converted"]) == (13, 11)

    expected_created = [_utc(_wall(i)) for i in range(12)]
    expected_created[0] = datetime.datetime(2024, 1, 31, 23, 0)
    expected_created[11] = datetime.datetime(2024, 1, 31, 23, 11)
    final = _raw(api, project, keys + [fresh_key])
    assert [le.stamp(e.properties["created"]) for e in final] == expected_created + [
        datetime.datetime(2024, 1, 31, 23, 22)]
    for i, entity in enumerate(final[:12]):
        assert le.stamp(entity.properties["updated"]) == _utc(_wall(i) + datetime.timedelta(hours=1)), i
        assert [le.stamp(v) for v in entity.properties["history"].array_value.values] == [
            _utc(_wall(i)), _utc(_wall(i) - datetime.timedelta(days=1))], i
        assert all(_state(entity, name) == marker.MIGRATED for name in MIGRATED), i
    assert [e.created for e in LiveEntry.get(app_keys)] == [tz.from_utc_naive(v, tz.JST) for v in expected_created]

    # A second run changes nothing.
    before = [e.SerializeToString(deterministic=True) for e in final]
    again = _migration(clean_datastore, "LiveEntry", batch_size=4, group_size=2).run(restart=True)
    assert (again.scanned, again.converted, again.already_migrated, again.changed_since_migration) == (13, 0, 13, 0)
    assert [e.SerializeToString(deterministic=True) for e in _raw(api, project, keys + [fresh_key])] == before


def test_migrate_writes_lets_the_app_migrate_what_it_writes(clean_datastore):
    project = clean_datastore.project
    api, keys = _seed(clean_datastore, "LiveEntryWrites", 6)
    with pytest.raises(_Crash):  # first transaction only: entities 1 and 2, no checkpoint yet
        _migration(clean_datastore, "LiveEntryWrites", batch_size=4, group_size=2,
                   on_event=_crash_after(1)).run()
    app_keys = [db.Key.from_path("LiveEntryWrites", i + 1) for i in range(6)]
    fourth = LiveEntryWrites.get(app_keys[3])
    assert fourth.created == _instant(_wall(3))
    fourth.created = tz.localize(datetime.datetime(2024, 3, 1, 12, 0), tz.JST)
    fresh = LiveEntryWrites(key_name="new", title="new", created=tz.localize(datetime.datetime(2024, 3, 2, 12, 0), tz.JST))
    db.put([fourth, fresh])
    fresh_key = _raw_key(project, fresh.key())
    written, new = _raw(api, project, [keys[3], fresh_key])
    # the declared properties are UTC and marked; the ListProperty is untouched wall clock, unmarked
    assert le.stamp(written.properties["created"]) == datetime.datetime(2024, 3, 1, 3, 0)
    assert le.stamp(written.properties["updated"]) == _utc(_wall(3) + datetime.timedelta(hours=1))
    assert _state(written, "created") == _state(written, "updated") == marker.MIGRATED
    assert _state(written, "history") == marker.NOT_MIGRATED
    assert le.stamp(new.properties["created"]) == datetime.datetime(2024, 3, 2, 3, 0)
    assert _state(new, "created") == marker.MIGRATED

    report = _migration(clean_datastore, "LiveEntryWrites", batch_size=4, group_size=2).run()
    assert not report.resumed
    # 3, 5, 6 converted, and 4 for its history; 1, 2 and the new entity already migrated
    assert (report.scanned, report.converted, report.already_migrated, report.changed_since_migration) == (7, 4, 3, 0)
    final = _raw(api, project, [keys[3], fresh_key])
    assert le.stamp(final[0].properties["created"]) == datetime.datetime(2024, 3, 1, 3, 0)  # not shifted again
    assert le.stamp(final[0].properties["updated"]) == _utc(_wall(3) + datetime.timedelta(hours=1))
    assert [le.stamp(v) for v in final[0].properties["history"].array_value.values] == [
        _utc(_wall(3)), _utc(_wall(3) - datetime.timedelta(days=1))]
    assert le.stamp(final[1].properties["created"]) == datetime.datetime(2024, 3, 2, 3, 0)
    assert [e.created for e in LiveEntryWrites.get(app_keys)] == [
        _instant(_wall(i)) for i in range(3)] + [fourth.created] + [_instant(_wall(i)) for i in range(4, 6)]


def test_expando_writes_keep_the_marker(clean_datastore):
    project = clean_datastore.project
    api, keys = _seed(clean_datastore, "LiveBag", 2)
    Migration("LiveBag", ["created"], "Asia/Tokyo", project=project, apply=True, progress=False).run()
    bag = LiveBag.get_by_id(1)
    assert bag.created == _instant(_wall(0))
    assert bag.title == "日記 1"  # a dynamic property
    bag.created = bag.created + datetime.timedelta(days=1)
    bag.put()
    bag.title = "twice"
    bag.put()
    raw = _raw(api, project, keys[:1])[0]
    assert le.stamp(raw.properties["created"]) == _utc(_wall(0)) + datetime.timedelta(days=1)
    assert _state(raw, "created") == marker.MIGRATED
    assert all(v.exclude_from_indexes for v in raw.properties[MARKER].array_value.values)
    assert LiveBag.get_by_id(1).created == _instant(_wall(0)) + datetime.timedelta(days=1)
    report = Migration("LiveBag", ["created"], "Asia/Tokyo", project=project, apply=True,
                       progress=False).run(restart=True)
    assert (report.converted, report.already_migrated, report.changed_since_migration) == (0, 2, 0)


def test_range_filters_see_migrated_values_nine_hours_early_until_the_switch(clean_datastore):
    """The documented limit: filters compare in wall-clock time against a kind holding both conventions."""
    project = clean_datastore.project
    api, keys = _seed(clean_datastore, "LiveEntry", 2)
    same_wall = datetime.datetime(2024, 5, 1, 12, 0)
    entities = _raw(api, project, keys)
    for entity in entities:
        entity.properties["created"].CopyFrom(le.ent.Value.pb(le.ts(same_wall)))
    le.put(api, project, [le.ent.Entity.wrap(e) for e in entities])
    with pytest.raises(_Crash):
        _migration(clean_datastore, "LiveEntry", batch_size=1, group_size=1, on_event=_crash_after(1)).run()
    instant = _instant(same_wall)
    both = LiveEntry.get([db.Key.from_path("LiveEntry", 1), db.Key.from_path("LiveEntry", 2)])
    assert [e.created for e in both] == [instant, instant]  # reads are right

    def ids(lower, upper):
        query = LiveEntry.all().filter("created >=", lower).filter("created <", upper)
        return sorted(e.key().id() for e in query)

    minute = datetime.timedelta(minutes=1)
    assert ids(instant, instant + minute) == [2]  # the unmigrated one only
    nine = datetime.timedelta(hours=9)
    assert ids(instant - nine, instant - nine + minute) == [1]  # the migrated one, 9 hours early
    assert [e.key().id() for e in LiveEntry.all().filter("created =", instant)] == [2]


@pytest.mark.parametrize("model", [LiveEntry, LiveEntryWrites], ids=["default", "migrate_writes"])
def test_a_put_of_an_instance_read_before_the_migration_is_consistent_and_converted_by_the_next_pass(
        clean_datastore, model):
    project = clean_datastore.project
    kind = model.kind()
    api, keys = _seed(clean_datastore, kind, 1)
    stale = model.get_by_id(1)  # read before the migration reaches the entity
    first = _migration(clean_datastore, kind).run()
    assert first.converted == 1
    stale.title = "written back from a stale read"
    stale.put()  # a blind put: the whole entity as it was read
    raw = _raw(api, project, keys)[0]
    if model is LiveEntry:  # everything wall clock again, without marker: consistent
        assert le.stamp(raw.properties["created"]) == _wall(0) and MARKER not in raw.properties
    else:  # the declared stored_as values UTC with their entries; the list wall clock, unmarked
        assert le.stamp(raw.properties["created"]) == _utc(_wall(0))
        assert _state(raw, "created") == _state(raw, "updated") == marker.MIGRATED
        assert _state(raw, "history") == marker.NOT_MIGRATED
    assert model.get_by_id(1).created == _instant(_wall(0))
    assert _migration(clean_datastore, kind).run(restart=True).converted == 1
    final = _raw(api, project, keys)[0]
    assert le.stamp(final.properties["created"]) == _utc(_wall(0))
    assert le.stamp(final.properties["updated"]) == _utc(_wall(0) + datetime.timedelta(hours=1))
    assert [le.stamp(v) for v in final.properties["history"].array_value.values] == [
        _utc(_wall(0)), _utc(_wall(0) - datetime.timedelta(days=1))]
    assert _migration(clean_datastore, kind).run(restart=True).converted == 0
