"""compat-tz-migrate against the emulator: dry run, apply, idempotence, interruption, DST, failures."""

import datetime
import json
import subprocess
import sys

import pytest

import compat.tz as tz
from compat.tz.migrate import cli
from compat.tz.migrate.runner import Migration
import tzmigrate_helpers as le

MARKER = "compat_tz_migrated"
MIGRATED = ("created", "updated", "history")
JAPAN_NOON = datetime.datetime(2024, 1, 1, 12, 0)


def _seed(emulator, count, start=datetime.datetime(2023, 12, 31, 23, 30)):
    """``count`` entries whose created/updated/history are Japan wall-clock times."""
    api = le.client()
    entities = []
    for i in range(count):
        created = start + datetime.timedelta(minutes=17 * i)
        entities.append(le.legacy_entity(
            emulator.project, i + 1, created=created, updated=created + datetime.timedelta(hours=1),
            history=[created, created - datetime.timedelta(days=1)]))
    le.put(api, emulator.project, entities)
    return api, [e.key for e in entities], entities


def _migration(emulator, **options):
    options.setdefault("progress", False)
    return Migration(le.KIND, list(MIGRATED), "Asia/Tokyo", project=emulator.project, **options)


def _expected_utc(wall):
    return tz.to_utc_naive(tz.localize(wall, tz.JST))


def test_dry_run_reports_and_writes_nothing(clean_datastore):
    api, keys, _ = _seed(clean_datastore, 7)
    before = [e.SerializeToString(deterministic=True) for e in le.get_raw(api, clean_datastore.project, keys)]
    report = _migration(clean_datastore, batch_size=3).run()
    after = [e.SerializeToString(deterministic=True) for e in le.get_raw(api, clean_datastore.project, keys)]
    assert after == before
    assert report.dry_run
    assert (report.scanned, report.converted, report.batches) == (7, 7, 3)
    assert "would convert 7" in report.summary()
    assert report.totals is None  # no checkpoint written in a dry run


def test_apply_shifts_only_the_named_timestamps(clean_datastore):
    api, keys, originals = _seed(clean_datastore, 5)
    report = _migration(clean_datastore, apply=True, batch_size=2).run()
    assert (report.scanned, report.converted, report.failed, report.skipped) == (5, 5, 0, 0)
    for original, migrated in zip(originals, le.get_raw(api, clean_datastore.project, keys)):
        raw = type(original).pb(original)
        # every other property -- meanings, exclude flags, embedded user, key, GeoPt -- unchanged
        assert le.others(migrated, set(MIGRATED) | {MARKER}) == le.others(raw, set(MIGRATED))
        assert migrated.key == raw.key
        for name in ("created", "updated"):
            assert le.stamp(migrated.properties[name]) == _expected_utc(le.stamp(raw.properties[name]))
        assert [le.stamp(v) for v in migrated.properties["history"].array_value.values] == [
            _expected_utc(le.stamp(v)) for v in raw.properties["history"].array_value.values]
        # the migrated value keeps its own flags
        assert migrated.properties["updated"].exclude_from_indexes
        assert not migrated.properties["created"].exclude_from_indexes
        marker = migrated.properties[MARKER]
        entries = sorted(v.string_value.split("\t")[0] for v in marker.array_value.values)
        assert entries == sorted(MIGRATED)
        assert all(v.exclude_from_indexes for v in marker.array_value.values)


def test_midnight_and_year_boundary_values(clean_datastore):
    api = le.client()
    project = clean_datastore.project
    walls = [datetime.datetime(2024, 1, 1, 0, 0), datetime.datetime(2024, 1, 2, 8, 59, 59, 999999),
             datetime.datetime(2024, 1, 2, 9, 0)]
    entities = [le.legacy_entity(project, "k%d" % i, created=w) for i, w in enumerate(walls)]
    le.put(api, project, entities)
    _migration(clean_datastore, apply=True).run()
    migrated = le.get_raw(api, project, [e.key for e in entities])
    assert [le.stamp(m.properties["created"]) for m in migrated] == [
        datetime.datetime(2023, 12, 31, 15, 0), datetime.datetime(2024, 1, 1, 23, 59, 59, 999999),
        datetime.datetime(2024, 1, 2, 0, 0)]
    # Read with the aware convention, the instants equal those the wall-clock convention gave before.
    before = tz.resolve(stored_as=tz.JST)
    after = tz.resolve(tzinfo=tz.JST)
    for wall, m in zip(walls, migrated):
        assert after.from_storage(le.stamp(m.properties["created"])) == before.from_storage(wall)


def test_second_run_changes_nothing(clean_datastore):
    api, keys, _ = _seed(clean_datastore, 6)
    _migration(clean_datastore, apply=True, batch_size=4).run()
    once = [e.SerializeToString(deterministic=True) for e in le.get_raw(api, clean_datastore.project, keys)]
    finished = _migration(clean_datastore, apply=True, batch_size=4).run()
    assert finished.already_complete and finished.scanned == 0
    again = _migration(clean_datastore, apply=True, batch_size=4).run(restart=True)
    assert (again.scanned, again.converted, again.already_migrated) == (6, 0, 6)
    assert [e.SerializeToString(deterministic=True) for e in le.get_raw(api, clean_datastore.project, keys)] == once


class _Crash(Exception):
    pass


def _crash_after(chunks):
    seen = []

    def on_event(event, **info):
        if event == "chunk_done":
            seen.append(info)
            if len(seen) == chunks:
                raise _Crash("injected failure after %d transactions" % chunks)
    return on_event


def test_interrupted_half_way_and_resumed(clean_datastore):
    api, keys, originals = _seed(clean_datastore, 20)
    # pages of 6 keys, transactions of 2: crash after the 5th transaction, i.e. in the middle
    # of the second page -- committed, but its page's cursor not yet saved.
    with pytest.raises(_Crash):
        _migration(clean_datastore, apply=True, batch_size=6, group_size=2,
                   on_event=_crash_after(5)).run()
    half = le.get_raw(api, clean_datastore.project, keys)
    converted = [MARKER in e.properties for e in half]
    assert converted == [True] * 10 + [False] * 10
    resumed = _migration(clean_datastore, apply=True, batch_size=6, group_size=2).run()
    assert resumed.resumed
    # the first page was checkpointed; the second page's first 4 are recognised by their marker
    assert (resumed.scanned, resumed.converted, resumed.already_migrated) == (14, 10, 4)
    assert resumed.totals["converted"] == 16 and resumed.totals["scanned"] == 20
    for original, final in zip(originals, le.get_raw(api, clean_datastore.project, keys)):
        raw = type(original).pb(original)
        assert le.stamp(final.properties["created"]) == _expected_utc(le.stamp(raw.properties["created"]))
        assert le.others(final, set(MIGRATED) | {MARKER}) == le.others(raw, set(MIGRATED))


def test_app_rewrite_after_migration_is_reported_not_shifted(clean_datastore):
    api, keys, originals = _seed(clean_datastore, 2)
    _migration(clean_datastore, apply=True).run()
    migrated = le.get_raw(api, clean_datastore.project, keys)
    rewritten = migrated[0]
    rewritten.properties["created"].CopyFrom(le.ent.Value.pb(le.ts(JAPAN_NOON)))
    le.put(api, clean_datastore.project, [le.ent.Entity.wrap(rewritten)])
    report = _migration(clean_datastore, apply=True).run(restart=True)
    assert (report.changed_since_migration, report.already_migrated, report.converted) == (1, 1, 0)
    assert report.changed == ["Entry:1"]
    assert le.stamp(le.get_raw(api, clean_datastore.project, keys[:1])[0].properties["created"]) == JAPAN_NOON


def test_values_that_are_not_timestamps_fail_and_stay_untouched(clean_datastore):
    api = le.client()
    project = clean_datastore.project
    good = le.legacy_entity(project, "good", created=JAPAN_NOON)
    bad = le.legacy_entity(project, "bad", created=JAPAN_NOON)
    bad.properties["updated"] = le.ent.Value(string_value="2024-01-01 12:00")
    empty = le.legacy_entity(project, "empty", created=JAPAN_NOON)
    del empty.properties["created"]
    le.put(api, project, [good, bad, empty])
    bad_before = type(bad).pb(bad).SerializeToString(deterministic=True)
    report = _migration(clean_datastore, apply=True).run()
    assert (report.scanned, report.converted, report.failed, report.skipped) == (3, 1, 1, 1)
    assert report.failures == [("Entry:'bad'", "property 'updated' holds string_value, not a timestamp")]
    assert le.get_raw(api, project, [bad.key])[0].SerializeToString(deterministic=True) == bad_before
    finished = _migration(clean_datastore, apply=True).run()
    assert finished.already_complete and finished.totals["failed"] == 1
    assert "failed 1" in finished.summary() and "--restart scans again" in finished.summary()


def test_dst_zone_rule_is_applied_and_counted(clean_datastore):
    api = le.client()
    project = clean_datastore.project
    walls = [datetime.datetime(2021, 3, 14, 2, 30), datetime.datetime(2021, 11, 7, 1, 30),
             datetime.datetime(2021, 7, 4, 12, 0)]
    entities = [le.legacy_entity(project, i + 1, created=w) for i, w in enumerate(walls)]
    le.put(api, project, entities)
    report = Migration(le.KIND, ["created"], "America/New_York", project=project, apply=True,
                       progress=False).run()
    assert (report.converted, report.ambiguous, report.nonexistent) == (3, 1, 1)
    migrated = le.get_raw(api, project, [e.key for e in entities])
    assert [le.stamp(m.properties["created"]) for m in migrated] == [
        datetime.datetime(2021, 3, 14, 7, 30), datetime.datetime(2021, 11, 7, 5, 30),
        datetime.datetime(2021, 7, 4, 16, 0)]


def test_namespaces_and_entity_groups(clean_datastore):
    api = le.client()
    project = clean_datastore.project
    parent = le.key(project, "p", kind="Blog", namespace="tenant")
    children = [le.legacy_entity(project, i + 1, created=JAPAN_NOON, namespace="tenant", parent=parent)
                for i in range(30)]
    elsewhere = le.legacy_entity(project, 1, created=JAPAN_NOON)  # default namespace: not touched
    le.put(api, project, children + [elsewhere])
    report = Migration(le.KIND, ["created"], tz.JST, project=project, namespace="tenant", apply=True,
                       progress=False, batch_size=50).run()
    assert report.converted == 30
    assert all(le.stamp(c.properties["created"]) == datetime.datetime(2024, 1, 1, 3, 0)
               for c in le.get_raw(api, project, [c.key for c in children]))
    assert le.stamp(le.get_raw(api, project, [elsewhere.key])[0].properties["created"]) == JAPAN_NOON


def test_cli_json_report_and_exit_codes(clean_datastore, capsys):
    _seed(clean_datastore, 3)
    common = [le.KIND, "-p", "created", "--from-zone", "Asia/Tokyo", "--project", clean_datastore.project,
              "--no-progress", "--json"]
    assert cli.main(common) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] and dry["counts"]["converted"] == 3
    assert cli.main(common + ["--apply"]) == 0
    applied = json.loads(capsys.readouterr().out)
    assert not applied["dry_run"] and applied["counts"]["converted"] == 3
    assert cli.main([le.KIND, "-p", "created", "--from-zone", "Asia/Tokio"]) == 2
    assert "unknown time zone 'Asia/Tokio'" in capsys.readouterr().err
    assert cli.main([le.KIND, "-p", "created", "--from-zone", "UTC", "--project", "p"]) == 2
    assert "nothing to migrate" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        cli.main([le.KIND, "--from-zone", "Asia/Tokyo"])
    assert exit_info.value.code == 2


def test_module_entry_point_runs(clean_datastore):
    _seed(clean_datastore, 2)
    result = subprocess.run(
        [sys.executable, "-m", "compat.tz.migrate", le.KIND, "-p", "created", "--from-zone", "Asia/Tokyo",
         "--project", clean_datastore.project, "--batch-size", "1"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "scanned 2, would convert 2" in result.stdout
    assert "dry run" in result.stderr  # the progress bar


def test_marker_survives_a_compat_write_and_the_unchanged_value_stays_migrated(clean_datastore):
    from compat import db

    class Entry(db.Model):
        title = db.StringProperty()
        created = db.DateTimeProperty(tzinfo=tz.JST)

    api, keys, _ = _seed(clean_datastore, 1)
    _migration(clean_datastore, apply=True).run()
    migrated = le.get_raw(api, clean_datastore.project, keys)[0]
    entry = Entry.get_by_id(1)
    assert entry.created == tz.from_utc_naive(le.stamp(migrated.properties["created"]), tz.JST)
    entry.title = "edited by the app"
    entry.put()
    after = le.get_raw(api, clean_datastore.project, keys)[0]
    assert after.properties[MARKER] == migrated.properties[MARKER]
    assert after.properties["created"] == migrated.properties["created"]
    report = _migration(clean_datastore, apply=True).run(restart=True)
    assert (report.already_migrated, report.converted, report.changed_since_migration) == (1, 0, 0)
