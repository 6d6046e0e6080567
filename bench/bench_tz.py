"""What time-zone awareness costs: loading and storing datetimes per convention, in the same run.

Run: .venv/bin/python bench/bench_tz.py

Baseline: the legacy convention (``db.DateTimeProperty()``, no conversion).
Candidates: aware (``tzinfo=JST``), wall clock (``stored_as=JST``), and
wall clock in a DST zone (``stored_as=America/New_York``, which needs the
ambiguity search), plus google-cloud-ndb's own ``DateTimeProperty(tzinfo=)``
conversions as the reference a migrating app would otherwise use. Also
``Model.from_entity`` of an entity with four datetime properties, legacy vs
aware. Ratios are candidate / legacy baseline; no emulator needed.

The migration marker (live migrations): the cost of the model's entity hooks
for properties that do not use them (legacy model, hooks on vs off in the
same run, interleaved), and ``from_entity`` / ``put`` preparation of a
``stored_as`` entity the migration has marked vs an unmarked one.
"""

import datetime
import statistics
import timeit
import zoneinfo

from google.cloud import datastore
from google.cloud import ndb

import compat.tz as tz
from compat import db
from compat.db import _mapper
from compat.tz.conventions import resolve

STORED = datetime.datetime(2024, 1, 1, 15, 30, 12, 345678)
AWARE = tz.localize(datetime.datetime(2024, 1, 2, 0, 30, 12, 345678), tz.JST)
NY = zoneinfo.ZoneInfo("America/New_York")


class LegacyRow(db.Model):
    a = db.DateTimeProperty()
    b = db.DateTimeProperty()
    c = db.DateTimeProperty()
    d = db.DateTimeProperty()


class WallRow(db.Model):
    a = db.DateTimeProperty(stored_as=tz.JST)
    b = db.DateTimeProperty(stored_as=tz.JST)
    c = db.DateTimeProperty(stored_as=tz.JST)
    d = db.DateTimeProperty(stored_as=tz.JST)


class AwareRow(db.Model):
    a = db.DateTimeProperty(tzinfo=tz.JST)
    b = db.DateTimeProperty(tzinfo=tz.JST)
    c = db.DateTimeProperty(stored_as=tz.JST)
    d = db.DateTimeProperty(stored_as=tz.JST)


def _median_us(function, number):
    runs = timeit.repeat(function, number=number, repeat=7)
    return statistics.median(runs) / number * 1e6


def _ndb_prop():
    prop = ndb.DateTimeProperty(tzinfo=tz.JST)
    prop._name = "a"
    return prop


def main():
    conventions = {
        "legacy (baseline)": resolve(),
        "aware tzinfo=JST": resolve(tzinfo=tz.JST),
        "wall clock stored_as=JST": resolve(stored_as=tz.JST),
        "wall clock stored_as=New York": resolve(stored_as=NY),
    }
    ndb_prop = _ndb_prop()
    rows = []
    for label, convention in conventions.items():
        load = _median_us(lambda: convention.from_storage(STORED), 20000)
        store = _median_us(lambda: convention.to_storage(AWARE), 20000)
        rows.append((label, load, store))
    rows.append(("ndb DateTimeProperty(tzinfo=JST)",
                 _median_us(lambda: ndb_prop._from_base_type(STORED), 20000),
                 _median_us(lambda: ndb_prop._to_base_type(AWARE), 20000)))
    base_load, base_store = rows[0][1], rows[0][2]
    print("per value            %-32s %10s %7s %10s %7s" % ("", "load", "ratio", "store", "ratio"))
    for label, load, store in rows:
        print("                     %-32s %8.2fus %7.1f %8.2fus %7.1f" % (
            label, load, load / base_load, store, store / base_store))

    client = datastore.Client(project="bench", credentials=_anonymous(), _use_grpc=False)
    entity = datastore.Entity(client.key("Row", 1))
    entity.update(a=STORED, b=STORED, c=STORED, d=STORED)
    legacy_entity = datastore.Entity(client.key("LegacyRow", 1))
    legacy_entity.update(entity)
    aware_entity = datastore.Entity(client.key("AwareRow", 1))
    aware_entity.update(entity)
    legacy = _median_us(lambda: LegacyRow.from_entity(legacy_entity), 5000)
    aware = _median_us(lambda: AwareRow.from_entity(aware_entity), 5000)
    print("Model.from_entity, 4 datetimes: legacy %.1fus, aware/wall clock %.1fus, ratio %.2f"
          % (legacy, aware, aware / legacy))
    _marker_costs(client, legacy_entity, entity)


def _interleaved(variants, rounds=21, number=2000):
    """Best per-call time (us) of each (label, setup, function), alternating the variants each round.

    The minimum over rounds: on a shared machine other processes only ever add time.
    """
    times = {label: [] for label, _, _ in variants}
    for _ in range(rounds):
        for label, setup, function in variants:
            setup()
            times[label].append(min(timeit.repeat(function, number=number, repeat=3)) / number * 1e6)
    return {label: min(values) for label, values in times.items()}


def _marker_costs(client, legacy_entity, values):
    from compat.tz import marker

    hooks = LegacyRow._entity_hooks
    legacy = LegacyRow.from_entity(legacy_entity)

    def hooks_on():
        LegacyRow._entity_hooks = hooks

    def hooks_off():
        LegacyRow._entity_hooks = ()

    result = _interleaved([
        ("load, hooks off", hooks_off, lambda: LegacyRow.from_entity(legacy_entity)),
        ("load, hooks on", hooks_on, lambda: LegacyRow.from_entity(legacy_entity)),
        ("put prep, hooks off", hooks_off, lambda: _mapper.entity_for_put(legacy)),
        ("put prep, hooks on", hooks_on, lambda: _mapper.entity_for_put(legacy)),
    ])
    hooks_on()
    print("entity hooks, legacy model with 4 datetimes (what properties without stored_as pay):")
    for what in ("load", "put prep"):
        off, on = result[what + ", hooks off"], result[what + ", hooks on"]
        print("    %-9s without hooks %6.2fus, with hooks %6.2fus, ratio %.3f" % (what, off, on, on / off))

    values = {name: value.replace(tzinfo=datetime.timezone.utc) for name, value in values.items()}  # as read
    unmarked = datastore.Entity(client.key("WallRow", 1))
    unmarked.update(values)
    marked = datastore.Entity(client.key("WallRow", 2), exclude_from_indexes=(marker.DEFAULT_MARKER,))
    marked.update(values)
    marked[marker.DEFAULT_MARKER] = [marker.format_entry(name, "Asia/Tokyo", marker.digest_of(values[name]))
                                     for name in "abcd"]
    plain_row, marked_row = WallRow.from_entity(unmarked), WallRow.from_entity(marked)
    assert marked_row.a != plain_row.a  # read as UTC, not as wall clock
    noop = lambda: None  # noqa: E731
    result = _interleaved([
        ("load unmarked", noop, lambda: WallRow.from_entity(unmarked)),
        ("load marked", noop, lambda: WallRow.from_entity(marked)),
        ("put unmarked", noop, lambda: _mapper.entity_for_put(plain_row)),
        ("put marked", noop, lambda: _mapper.entity_for_put(marked_row)),
    ])
    print("stored_as=JST, 4 datetimes, entity marked by the migration vs not:")
    for what in ("load", "put"):
        plain, with_marker = result[what + " unmarked"], result[what + " marked"]
        print("    %-9s unmarked %6.2fus, marked %6.2fus, ratio %.2f" % (what, plain, with_marker, with_marker / plain))


def _anonymous():
    from google.auth.credentials import AnonymousCredentials

    return AnonymousCredentials()


if __name__ == "__main__":
    main()
