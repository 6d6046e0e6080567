"""The Beam pipeline (DirectRunner) against the emulator: same rewrite, byte-exact, idempotent.

Needs the optional extra: ``pip install -e '.[beam]'``. Without it every test
here is skipped with that reason.
"""

import datetime

import pytest

beam = pytest.importorskip(
    "apache_beam", reason="Apache Beam is not installed: pip install -e '.[beam]' to run the Beam migration tests")

import compat.tz as tz  # noqa: E402
import tzmigrate_helpers as le  # noqa: E402
from compat.tz.migrate import beam as tz_beam  # noqa: E402
from compat.tz.migrate.runner import Migration, Report  # noqa: E402

MIGRATED = ("created", "updated", "history")
MARKER = "compat_tz_migrated"
DIRECT = ["--runner=DirectRunner", "--direct_num_workers=1"]


def _seed(emulator, count):
    api = le.client()
    start = datetime.datetime(2023, 12, 31, 23, 30)
    entities = [le.legacy_entity(emulator.project, i + 1, created=start + datetime.timedelta(minutes=41 * i),
                                 updated=start, history=[start, start + datetime.timedelta(days=3)])
                for i in range(count)]
    le.put(api, emulator.project, entities)
    return api, entities


def _options(emulator, **extra):
    extra.setdefault("hint_num_workers", 1)  # one local worker: the ramp-up budget is 500 writes/s
    return tz_beam.MigrationOptions(le.KIND, list(MIGRATED), "Asia/Tokyo", emulator.project, **extra)


def _utc(wall):
    return tz.to_utc_naive(tz.localize(wall, tz.JST))


def test_dry_run_counts_and_writes_nothing(clean_datastore):
    api, entities = _seed(clean_datastore, 9)
    keys = [e.key for e in entities]
    before = [e.SerializeToString(deterministic=True) for e in le.get_raw(api, clean_datastore.project, keys)]
    found = tz_beam.run(_options(clean_datastore, group_size=4), DIRECT)
    assert (found["scanned"], found["converted"], found["failed"]) == (9, 9, 0)
    after = [e.SerializeToString(deterministic=True) for e in le.get_raw(api, clean_datastore.project, keys)]
    assert after == before


def test_apply_preserves_everything_else_and_is_idempotent(clean_datastore):
    api, entities = _seed(clean_datastore, 12)
    keys = [e.key for e in entities]
    # Half of the kind was done by an interrupted single-machine run: Beam finishes the job.
    first = Migration(le.KIND, list(MIGRATED), tz.JST, project=clean_datastore.project, apply=True,
                      progress=False)
    first.processor.process([type(k).pb(k) for k in keys[:5]], Report(dry_run=False))

    found = tz_beam.run(_options(clean_datastore, apply=True, group_size=4), DIRECT)
    assert (found["scanned"], found["converted"], found["already_migrated"], found["failed"]) == (12, 7, 5, 0)
    migrated = le.get_raw(api, clean_datastore.project, keys)
    for original, final in zip(entities, migrated):
        raw = type(original).pb(original)
        assert le.others(final, set(MIGRATED) | {MARKER}) == le.others(raw, set(MIGRATED))
        assert le.stamp(final.properties["created"]) == _utc(le.stamp(raw.properties["created"]))
        assert le.stamp(final.properties["updated"]) == _utc(le.stamp(raw.properties["updated"]))
        assert final.properties["updated"].exclude_from_indexes
        assert [le.stamp(v) for v in final.properties["history"].array_value.values] == [
            _utc(le.stamp(v)) for v in raw.properties["history"].array_value.values]
        assert final.properties["body"].meaning == 15 and final.properties["owner"].meaning == 20
    once = [e.SerializeToString(deterministic=True) for e in migrated]

    again = tz_beam.run(_options(clean_datastore, apply=True), DIRECT)
    assert (again["scanned"], again["converted"], again["already_migrated"]) == (12, 0, 12)
    assert [e.SerializeToString(deterministic=True)
            for e in le.get_raw(api, clean_datastore.project, keys)] == once


def test_the_connectors_own_write_would_drop_legacy_meanings(clean_datastore):
    """Why the pipeline does not write through WriteToDatastore (see compat.tz.migrate.beam)."""
    from apache_beam.io.gcp.datastore.v1new import datastoreio, types

    api, entities = _seed(clean_datastore, 1)
    query = types.Query(kind=le.KIND, project=clean_datastore.project)
    with beam.Pipeline(argv=DIRECT) as pipeline:
        (pipeline
         | datastoreio.ReadFromDatastore(query)
         | datastoreio.WriteToDatastore(clean_datastore.project, throttle_rampup=False))
    round_tripped = le.get_raw(api, clean_datastore.project, [entities[0].key])[0]
    assert round_tripped.properties["body"].meaning == 0  # Text's meaning 15 is gone
    assert round_tripped.properties["email"].meaning == 0  # Email's meaning 8 is gone
    assert round_tripped.properties["owner"].meaning == 0  # the User entity's meaning 20 is gone


def test_cli_entry_point(clean_datastore, capsys):
    _seed(clean_datastore, 3)
    status = tz_beam.main([le.KIND, "-p", "created", "--from-zone", "Asia/Tokyo",
                           "--project", clean_datastore.project] + DIRECT)
    assert status == 0
    out = capsys.readouterr().out
    assert "scanned 3, would convert 3" in out and "Dry run" in out
