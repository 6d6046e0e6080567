"""The per-entity rewrite: wall-clock timestamps to UTC, on the raw protobuf.

Shared by the single-machine command and the Beam pipeline. It works on the
Datastore v1 ``Entity`` protobuf itself, so only the ``timestamp_value``
fields of the named properties (and the marker property) change: every other
property, meaning, ``exclude_from_indexes`` flag, embedded entity and key
stays byte-for-byte what was read.

The marker property (default ``compat_tz_migrated``, an unindexed list of
strings ``"<property>\t<source zone>\tutc <digest>"``, format and digest in
:mod:`compat.tz.marker`, which ``compat.db``'s ``stored_as=`` properties read
too) records, per converted property, the source zone and a digest of the
UTC value written. It is written in the same commit as the values, so an
entity is either converted and marked or untouched. On a later run:

* marker entry present and digest equal to the stored value: **already
  migrated** (nothing is shifted twice);
* marker entry present but the value changed since (the application wrote
  the property again): **changed since migration**, left alone and reported,
  because the new value's convention is unknown;
* no marker entry: the value is wall-clock time and is converted.
"""

import collections
import datetime

from google.cloud.datastore_v1.types import entity as _entity_types

from compat.tz import marker as _marker
from compat.tz.convert import localize
from compat.tz.errors import AmbiguousTimeError, NonExistentTimeError
from compat.tz.marker import DEFAULT_MARKER
from compat.tz.zones import UTC, is_utc

EntityPb = _entity_types.Entity.pb()
ValuePb = _entity_types.Value.pb()

_EPOCH = datetime.datetime(1970, 1, 1)

CONVERTED = "converted"
SKIPPED = "skipped"
ALREADY = "already_migrated"
CHANGED = "changed_since_migration"
FAILED = "failed"


class Outcome(collections.namedtuple("Outcome", "status detail ambiguous nonexistent")):
    """What happened to one entity: a status constant, a message, DST counts."""


class Rewriter:
    """Converts the named properties of entity protobufs from ``source_zone`` wall time to UTC.

    Legacy apps that followed the seed notes stored naive Japan time; legacy
    ``db`` wrote it as if it were UTC. This moves each value to its real UTC
    instant (DST rule of :func:`compat.tz.localize`: ambiguous wall times
    take the earlier instant, missing ones are shifted forward).
    """

    def __init__(self, properties, source_zone, marker=DEFAULT_MARKER):
        if not properties:
            raise ValueError("name at least one property to migrate")
        if is_utc(source_zone):
            raise ValueError("values stored as UTC are already what Datastore expects: nothing to migrate "
                             "(--from-zone names the zone whose wall-clock time the data holds, e.g. Asia/Tokyo)")
        if marker in properties:
            raise ValueError("the marker property %r cannot also be migrated" % (marker,))
        self.properties = tuple(dict.fromkeys(properties))
        self.source_zone = source_zone
        self.zone_label = _marker.zone_label(source_zone)
        self.marker = marker

    # -- public -------------------------------------------------------------

    def rewrite(self, entity_pb):
        """Rewrite ``entity_pb`` (a raw v1 ``Entity`` protobuf) in place; return an :class:`Outcome`.

        The entity is modified only when the status is ``CONVERTED``.
        """
        marks = self._read_marker(entity_pb)
        if marks is None:
            return Outcome(FAILED, "marker property %r is not a list of strings" % self.marker, 0, 0)
        plans, changed = {}, []
        ambiguous = nonexistent = 0
        for name in self.properties:
            if name not in entity_pb.properties:
                continue
            value = entity_pb.properties[name]
            stamps = _timestamps(value)
            if stamps is None:
                return Outcome(FAILED, "property %r holds %s, not a timestamp"
                               % (name, value.WhichOneof("value_type")), 0, 0)
            if not stamps:
                continue
            if name in marks:
                if marks[name].digest == _digest(value):
                    continue
                changed.append(name)
                continue
            try:
                converted, amb, missing = self._convert_value(value)
            except (OverflowError, ValueError) as error:
                return Outcome(FAILED, "property %r: %s" % (name, error), 0, 0)
            plans[name] = converted
            ambiguous += amb
            nonexistent += missing
        if changed and not plans:
            return Outcome(CHANGED, "changed since migration: %s" % ", ".join(changed), 0, 0)
        if not plans:
            if marks and any(name in marks for name in self.properties):
                return Outcome(ALREADY, "", 0, 0)
            return Outcome(SKIPPED, "no timestamp in %s" % ", ".join(self.properties), 0, 0)
        for name, converted in plans.items():
            entity_pb.properties[name].CopyFrom(converted)
            marks[name] = _marker.Entry(self.zone_label, _digest(converted))
        self._write_marker(entity_pb, marks)
        detail = "" if not changed else "changed since migration (left alone): %s" % ", ".join(changed)
        return Outcome(CONVERTED, detail, ambiguous, nonexistent)

    # -- values ---------------------------------------------------------------

    def _convert_value(self, value):
        converted = ValuePb()
        converted.CopyFrom(value)
        ambiguous = nonexistent = 0
        targets = [converted] if converted.HasField("timestamp_value") else [
            element for element in converted.array_value.values if element.HasField("timestamp_value")
        ]
        for target in targets:
            amb, missing = self._shift(target.timestamp_value)
            ambiguous += amb
            nonexistent += missing
        return converted, ambiguous, nonexistent

    def _shift(self, timestamp):
        """Move one Timestamp from wall time in the source zone to UTC (nanos kept)."""
        wall = _EPOCH + datetime.timedelta(seconds=timestamp.seconds)
        amb = missing = 0
        try:
            instant = localize(wall, self.source_zone, strict=True)
        except AmbiguousTimeError:
            amb = 1
            instant = localize(wall, self.source_zone)
        except NonExistentTimeError:
            missing = 1
            instant = localize(wall, self.source_zone)
        utc = _strip(instant.astimezone(UTC))
        timestamp.seconds = int((utc - _EPOCH).total_seconds())
        return amb, missing

    # -- marker ---------------------------------------------------------------

    def _read_marker(self, entity_pb):
        """``{property: marker.Entry}``; None when the marker is not a list of strings."""
        if self.marker not in entity_pb.properties:
            return collections.OrderedDict()
        value = entity_pb.properties[self.marker]
        kind = value.WhichOneof("value_type")
        if kind == "null_value":
            return collections.OrderedDict()
        if kind != "array_value":
            return None
        strings = []
        for element in value.array_value.values:
            if element.WhichOneof("value_type") != "string_value":
                return None
            strings.append(element.string_value)
        return _marker.parse_entries(strings)

    def _write_marker(self, entity_pb, marks):
        value = ValuePb()
        array = value.array_value
        array.SetInParent()
        for name, entry in marks.items():
            element = array.values.add()
            element.string_value = entry.as_text(name)
            element.exclude_from_indexes = True
        entity_pb.properties[self.marker].CopyFrom(value)

    def marker_entry(self, name, value):
        """The marker text recorded for property ``name`` converted to ``value``."""
        return _marker.format_entry(name, self.zone_label, _digest(value))


def _timestamps(value):
    """The timestamp fields of a value: [] for null / empty, None when it is not a timestamp."""
    kind = value.WhichOneof("value_type")
    if kind == "timestamp_value":
        return [value.timestamp_value]
    if kind == "null_value" or kind is None:
        return []
    if kind == "array_value":
        stamps = []
        for element in value.array_value.values:
            element_kind = element.WhichOneof("value_type")
            if element_kind == "timestamp_value":
                stamps.append(element.timestamp_value)
            elif element_kind != "null_value":
                return None
        return stamps
    return None


def _digest(value):
    """The marker digest of a raw Value protobuf (:func:`compat.tz.marker.digest`)."""
    return _marker.digest((s.seconds, s.nanos) for s in _timestamps(value) or ())


def _strip(aware):
    return datetime.datetime(aware.year, aware.month, aware.day, aware.hour,
                             aware.minute, aware.second, aware.microsecond)
