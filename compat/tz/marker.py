"""The per-entity migration marker: which timestamps of an entity are already UTC.

``compat-tz-migrate`` (and its Beam pipeline) writes, in the same commit as
the converted values, a marker property (default ``compat_tz_migrated``): an
unindexed list of strings ``"<property>\\t<source zone>\\tutc <digest>"``,
one per converted property, where the digest identifies the UTC value
written. Legacy ``db`` had nothing like it; it exists so that nothing is ever
shifted twice and so that ``stored_as=`` properties can tell, entity by
entity, whether a value is still wall-clock time or already UTC.

This module is the one place that knows the format. The migration reads and
writes it on raw Datastore v1 protobufs (:mod:`compat.tz.migrate.rewrite`);
``compat.db``'s ``DateTimeProperty(stored_as=...)`` reads and updates it on
``google.cloud.datastore`` entities. Both compute the same digest from the
stored timestamps' seconds and nanoseconds.

For one property of one entity the marker says (:func:`state`):

``MIGRATED``       an entry whose digest matches the stored value: it is UTC;
``NOT_MIGRATED``   no entry: the value is wall-clock time, as legacy data was;
``CHANGED``        an entry whose digest does not match: something wrote the
                   property after the migration without updating the entry
                   (an older release, another tool); its convention is unknown.
"""

from __future__ import annotations

import collections
import datetime
import hashlib
from typing import Any, Iterable, Mapping, Optional, Union

from compat.tz.zones import zone_name

__all__ = ["DEFAULT_MARKER", "MIGRATED", "NOT_MIGRATED", "CHANGED", "Entry", "digest", "digest_of",
           "zone_label", "format_entry", "parse_entries", "entry_texts", "entry_digest", "state",
           "migration_state"]

DEFAULT_MARKER = "compat_tz_migrated"
"""The default name of the marker property (``--marker`` of the migration command)."""

MIGRATED = "migrated"
NOT_MIGRATED = "not_migrated"
CHANGED = "changed_since_migration"

_EPOCH = datetime.datetime(1970, 1, 1)
_EPOCH_UTC = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


class Entry(collections.namedtuple("Entry", "zone digest text", defaults=(None,))):
    """One marker entry: the source zone's label, the digest (``"utc <hex>"``) of the UTC value.

    ``text`` is the string as it was read (None for a new entry), so that
    entries nobody changed are written back exactly as they were.
    """

    def as_text(self, name: str) -> str:
        """The marker string for property ``name``."""
        return self.text if self.text is not None else format_entry(name, self.zone, self.digest)


def digest(stamps: Iterable[tuple[int, int]]) -> str:
    """The digest of a stored value given as ``(seconds, nanos)`` pairs: ``'utc <16 hex digits>'``.

    A null or empty value has the digest of no timestamps at all.
    """
    text = ",".join("%d.%09d" % (seconds, nanos) for seconds, nanos in stamps)
    return "utc " + hashlib.sha1(text.encode("ascii")).hexdigest()[:16]


_NULL_DIGEST = digest(())


def digest_of(value: Union[datetime.datetime, list[Optional[datetime.datetime]], None]) -> str:
    """:func:`digest` of a value as ``google.cloud.datastore`` holds it.

    ``value`` is a datetime (aware, or naive UTC as compat writes it), a list
    of them (None items skipped, as null items carry no timestamp), or None.
    """
    if value is None:
        return _NULL_DIGEST
    if isinstance(value, (list, tuple)):
        return digest(_stamp(item) for item in value if item is not None)
    seconds, nanos = _stamp(value)
    return "utc " + hashlib.sha1(b"%d.%09d" % (seconds, nanos)).hexdigest()[:16]


def zone_label(zone: datetime.tzinfo) -> str:
    """The label a marker entry records for a source zone (its IANA name: ``Asia/Tokyo``)."""
    return zone_name(zone)


def format_entry(name: str, zone: str, entry_digest: str) -> str:
    """The marker string for property ``name`` converted from ``zone`` (a label) to a value of ``entry_digest``."""
    return "%s\t%s\t%s" % (name, zone, entry_digest)


def parse_entries(strings: Any) -> Optional[dict[str, Entry]]:
    """``{property: Entry}`` (in marker order) for the marker's strings ({} for None); None when not a list of strings.

    A string without the two tabs gives an entry with an empty digest, which
    matches no value.
    """
    texts = entry_texts(strings)
    if texts is None:
        return None
    entries: dict[str, Entry] = collections.OrderedDict()
    for name, text in texts.items():
        zone, _, entry_digest_ = text[len(name) + 1:].rpartition("\t")
        entries[name] = Entry(zone, entry_digest_, text)
    return entries


def entry_texts(strings: Any) -> Optional[dict[str, str]]:
    """``{property: marker string}`` for the marker's strings ({} for None); None when not a list of strings.

    The fast form of :func:`parse_entries` the ``stored_as`` properties use;
    :func:`entry_digest` gives an entry's digest.
    """
    if strings is None:
        return {}
    if type(strings) is not list and type(strings) is not tuple:
        return None
    texts = {}
    for text in strings:
        if not isinstance(text, str):
            return None
        texts[text.partition("\t")[0]] = text
    return texts


_last_parsed: tuple[Any, int, Optional[dict[str, str]]] = (None, 0, None)


def entry_texts_shared(strings: Any) -> Optional[dict[str, str]]:
    """:func:`entry_texts`, remembered for the last list parsed: the result must not be modified.

    The ``stored_as`` properties of one entity read the same marker list one
    after the other, on load and on put; this parses it once.
    """
    global _last_parsed
    last, length, texts = _last_parsed
    if strings is last and strings is not None and len(strings) == length:
        return texts
    texts = entry_texts(strings)
    if texts is not None and strings is not None:
        _last_parsed = (strings, len(strings), texts)
    return texts


def entry_digest(text: str) -> str:
    """The digest part of one marker string (after its last tab; "" without a tab)."""
    _, tab, tail = text.rpartition("\t")
    return tail if tab else ""


def state(entity: Mapping[str, Any], name: str, marker: str = DEFAULT_MARKER) -> str:
    """:data:`MIGRATED`, :data:`NOT_MIGRATED` or :data:`CHANGED` for property ``name`` of ``entity``.

    ``entity`` is a ``google.cloud.datastore.Entity`` (or any mapping of
    stored names to values). A marker that is not a list of strings counts as
    no marker (the migration reports such entities as failed).
    """
    entries = parse_entries(entity.get(marker)) if marker in entity else None
    entry = entries.get(name) if entries else None
    if entry is None:
        return NOT_MIGRATED
    return MIGRATED if entry.digest == digest_of(entity.get(name)) else CHANGED


def migration_state(model_instance: Any, name: str, marker: str = DEFAULT_MARKER) -> str:
    """:func:`state` of a loaded ``compat.db`` model instance's stored property ``name``.

    For values compat does not convert by itself (``ListProperty(datetime)``,
    Expando attributes) while a migration runs: ``MIGRATED`` means the loaded
    values are UTC, ``NOT_MIGRATED`` wall-clock time. An instance that was
    never stored is ``NOT_MIGRATED``.
    """
    entity = getattr(model_instance, "_entity", None)
    if entity is None:
        return NOT_MIGRATED
    return state(entity, name, marker)


def _stamp(value: datetime.datetime) -> tuple[int, int]:
    """``(seconds, nanos)`` of a datetime as a protobuf Timestamp holds it (naive = UTC).

    Datastore keeps microseconds ("additional precision is rounded down"), so
    the nanos are always whole microseconds.
    """
    if not isinstance(value, datetime.datetime):
        raise TypeError("a stored timestamp must be a datetime, got %r" % (value,))
    delta = value - (_EPOCH if value.tzinfo is None else _EPOCH_UTC)
    return delta.days * 86400 + delta.seconds, delta.microseconds * 1000
