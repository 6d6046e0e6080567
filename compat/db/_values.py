"""Conversion between legacy ``db`` values and google-cloud-datastore values.

Legacy ``db`` chose the stored form of a value from its Python type, so the
same rules serve typed properties and Expando dynamic properties:

==========================  ====================  =======  ===================
legacy value                stored as             meaning  excluded from index
==========================  ====================  =======  ===================
str / StringProperty        string                         no
Text                        string                15       yes
Category/Link/Email/...     string                1/2/8/.. no
IM                          string "proto addr"   10       no
bytes                       string (ASCII only)            no
Blob                        blob                           yes
ByteString                  blob                           no
int / Rating                integer               - / 13   no
datetime (aware -> UTC)     timestamp                      no
date / time                 timestamp (see below)          no
Key                         key                            no
GeoPt                       geo_point                      no
users.User                  entity                20       no (sub-values yes)
list                        array of the above             per element
==========================  ====================  =======  ===================

:func:`to_datastore` returns ``(value, meaning, raw)`` where *raw* means
"always excluded from indexes" (Text, Blob); :func:`from_datastore` reverses
it, using the stored meaning and index flag.
"""

import datetime
import zlib

from google.cloud.datastore.entity import Entity as _DsEntity
from google.cloud.datastore.helpers import GeoPoint as _GeoPoint
from google.cloud.datastore.key import Key as _DsKey

from compat import users
from compat.db import types
from compat.db.errors import BadRequestError, BadValueError, BytesValueError, UnstorableValueError
from compat.db.keys import Key

_EPOCH_DATE = datetime.date(1970, 1, 1)
_UTC = datetime.timezone.utc

_STRING_MEANINGS = {
    types.MEANING_CATEGORY: types.Category,
    types.MEANING_LINK: types.Link,
    types.MEANING_EMAIL: types.Email,
    types.MEANING_IM: types.IM,
    types.MEANING_PHONE_NUMBER: types.PhoneNumber,
    types.MEANING_POSTAL_ADDRESS: types.PostalAddress,
    types.MEANING_TEXT: types.Text,
    types.MEANING_BLOBKEY: types.BlobKey,
}


def naive_utc(value):
    """A naive UTC ``datetime`` for an aware one (legacy ``DatetimeToTimestamp``); naive unchanged."""
    if value.tzinfo is not None:
        offset = value.utcoffset()
        if offset is not None:
            value = (value - offset).replace(tzinfo=None)
        else:
            value = value.replace(tzinfo=None)
    if type(value) is not datetime.datetime:
        value = datetime.datetime(value.year, value.month, value.day, value.hour,
                                  value.minute, value.second, value.microsecond)
    return value


def date_to_datetime(value):
    """Legacy storage of a date: midnight (UTC) of that day (UnstorableValueError for anything else)."""
    if not isinstance(value, datetime.date):
        raise UnstorableValueError("Cannot store %r (a %s) as a date" % (value, type(value).__name__))
    return datetime.datetime(value.year, value.month, value.day)


def time_to_datetime(value):
    """Legacy storage of a time: 1970-01-01 at that time of day (its tzinfo is ignored)."""
    if not isinstance(value, datetime.time):
        raise UnstorableValueError("Cannot store %r (a %s) as a time of day" % (value, type(value).__name__))
    return datetime.datetime(1970, 1, 1, value.hour, value.minute, value.second, value.microsecond)


def user_to_entity(user):
    """The embedded entity legacy stored for a ``users.User`` (every sub-value unindexed)."""
    entity = _DsEntity()
    entity["email"] = user.email()
    entity["auth_domain"] = user.auth_domain()
    if user.user_id():
        entity["user_id"] = user.user_id()
    if user.federated_identity():
        entity["federated_identity"] = user.federated_identity()
    if user.federated_provider():
        entity["federated_provider"] = user.federated_provider()
    entity.exclude_from_indexes = set(entity.keys())
    return entity


def entity_to_user(entity):
    """A ``users.User`` from the embedded entity of a stored user value."""
    return users.User(
        email=entity.get("email") or "",
        _auth_domain=entity.get("auth_domain") or users.DEFAULT_AUTH_DOMAIN,
        _user_id=entity.get("user_id"),
        federated_identity=entity.get("federated_identity"),
        federated_provider=entity.get("federated_provider"),
        _strict_mode=False,
    )


_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


def _checked_str(value):
    """A str the datastore can store: BadRequestError (before any RPC) for a lone surrogate, as legacy."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadRequestError("String value %r is not valid UTF-8 (it holds a lone surrogate)." % (value[:64],))
    return value


def _checked_int(value):
    """An int that fits in 64 bits; OverflowError otherwise (legacy's encoder raised OverflowError)."""
    if value < _INT64_MIN or value > _INT64_MAX:
        raise OverflowError("%d is out of bounds for int64" % value)
    return value


def _text_value(value):
    """A Text's stored form: a string with meaning 15, or - holding a lone surrogate, which UTF-8 cannot
    encode - the surrogate-escaped UTF-8 bytes as an unindexed blob, as legacy's v3 -> v1 converter
    stored a text that was not valid UTF-8."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogatepass"), None, True
    return value, types.MEANING_TEXT, True


def _ascii_string(value):
    """A plain ``bytes`` value as legacy stored it: an indexed string, ASCII only (BytesValueError otherwise)."""
    try:
        return value.decode("ascii")
    except UnicodeDecodeError as error:
        raise BytesValueError(error.encoding, error.object, error.start, error.end,
                              "%s (legacy stored bytes as a string; use db.Blob or db.ByteString for binary data)"
                              % error.reason) from error


def to_datastore(value):
    """``(datastore_value, meaning_or_None, raw)`` for one legacy value (lists included).

    Raises, before any RPC: BadRequestError for a string with a lone
    surrogate or a NaN GeoPt (the datastore stores neither), OverflowError
    for an int beyond 64 bits.
    """
    if value is None:
        return None, None, False
    kind = type(value)
    if kind is str:
        return (value if value.isascii() else _checked_str(value)), None, False
    if kind is int:
        return _checked_int(value), None, False
    if kind is float or kind is bool:
        return value, None, False
    if kind is Key:
        return value._ds, None, False
    if kind is datetime.datetime:
        return (naive_utc(value) if value.tzinfo is not None else value), None, False
    if kind is list:
        return _list_to_datastore(value)
    if kind is tuple:
        raise BadValueError("May not use tuple property value; property value is %r." % (value,))
    if isinstance(value, types.Text):
        return _text_value(value)
    if isinstance(value, types.ByteString):
        return value, None, False
    if kind is bytes:
        return _ascii_string(value), None, False
    if isinstance(value, (bytes, bytearray)):
        return bytes(value) if kind is bytearray else value, None, True
    if isinstance(value, str):
        return _checked_str(value), getattr(value, "MEANING", None), False
    if isinstance(value, bool):
        return bool(value), None, False
    if isinstance(value, int):
        return _checked_int(value), getattr(value, "MEANING", None), False
    if isinstance(value, float):
        return float(value), None, False
    if isinstance(value, datetime.datetime):
        return naive_utc(value), None, False
    if isinstance(value, datetime.date):
        return date_to_datetime(value), None, False
    if isinstance(value, datetime.time):
        return time_to_datetime(value), None, False
    if isinstance(value, Key):
        return value._ds, None, False
    if isinstance(value, types.GeoPt):
        if value.lat != value.lat or value.lon != value.lon:
            raise BadRequestError("Cannot store GeoPt(%r, %r): Cloud Datastore refuses a geo point that is not a "
                                  "number." % (value.lat, value.lon))
        return _GeoPoint(value.lat, value.lon), None, False
    if isinstance(value, types.IM):
        return str(value), types.MEANING_IM, False
    if isinstance(value, types.BlobKey):
        return str(value), types.MEANING_BLOBKEY, False
    if isinstance(value, users.User):
        return user_to_entity(value), types.MEANING_USER, False
    if isinstance(value, (_DsEntity, _DsKey, _GeoPoint)):
        return value, None, False
    raise BadValueError("Unsupported type for property: %s" % (kind,))


def _list_to_datastore(values):
    """A list's stored values, meaning(s) and raw flag(s).

    ``raw`` is a bool when every item agrees, else a tuple with one flag per
    item: legacy wrote Text/Blob items of a list unindexed and the others
    indexed, and compat does the same (see :func:`set_index_flags`).
    """
    stored = []
    meanings = []
    flags = []
    for item in values:
        item_value, item_meaning, item_raw = to_datastore(item)
        stored.append(item_value)
        meanings.append(item_meaning)
        flags.append(item_raw)
    raw = flags[0] if flags and all(flag == flags[0] for flag in flags) else (tuple(flags) if flags else False)
    if all(meaning is None for meaning in meanings):
        return stored, None, raw
    if all(meaning == meanings[0] for meaning in meanings):
        return stored, meanings[0], raw
    return stored, (None, meanings), raw


def item_flags(entity, create=False):
    """The per-item index flags of ``entity``'s lists that mix indexed and unindexed items.

    ``{name: (excluded, ...)}``, kept on the entity as ``_compat_item_excludes``;
    google-cloud-datastore itself only knows one flag per property.
    """
    flags = getattr(entity, "_compat_item_excludes", None)
    if flags is None and create:
        flags = entity._compat_item_excludes = {}
    return flags


def excluded(entity, name, exclude=None):
    """How property ``name`` is excluded from indexes: a bool, or one flag per item of a mixed list."""
    flags = getattr(entity, "_compat_item_excludes", None)
    if flags and name in flags:
        return flags[name]
    return name in (entity.exclude_from_indexes if exclude is None else exclude)


def set_index_flags(entity, name, raw, indexed=True):
    """Record how property ``name`` of ``entity`` is indexed (``raw`` as :func:`to_datastore` gives it)."""
    exclude = entity.exclude_from_indexes
    mixed = isinstance(raw, tuple)
    if not indexed or raw:
        exclude.add(name)
    else:
        exclude.discard(name)
    if mixed and indexed:
        item_flags(entity, create=True)[name] = raw
    else:
        flags = item_flags(entity)
        if flags:
            flags.pop(name, None)


def from_datastore(value, meaning=None, excluded=False):
    """The legacy value for a stored value, its meaning and its index flag.

    Values whose meaning we do not model are returned unchanged, so writing
    them back preserves them exactly.
    """
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        if meaning is None:
            return value
        factory = _STRING_MEANINGS.get(meaning)
        if factory is None:
            return value
        try:
            return factory(value)
        except Exception:  # a value legacy would not have written; keep it as it is
            return value
    if kind is int or kind is float or kind is bool:
        if meaning == types.MEANING_RATING and kind is int:
            try:
                return types.Rating(value)
            except Exception:
                return value
        return value
    if isinstance(value, datetime.datetime):
        return naive_utc(value)
    if kind is _DsKey:
        return Key._from_ds(value)
    if kind is bytes:
        if meaning == types.MEANING_ZLIB:
            return value
        if meaning is None:
            return types.Blob(value) if excluded else types.ByteString(value)
        return value
    if kind is list:
        return _list_from_datastore(value, meaning, excluded)
    if kind is _GeoPoint:
        return types.GeoPt(value.latitude, value.longitude)
    if isinstance(value, _DsEntity) and meaning == types.MEANING_USER:
        return entity_to_user(value)
    return value


def _list_from_datastore(values, meaning, excluded):
    if isinstance(meaning, tuple):
        item_meanings = meaning[1] or [None] * len(values)
    elif isinstance(meaning, list):
        item_meanings = meaning
    else:
        item_meanings = [meaning] * len(values)
    item_excluded = excluded if isinstance(excluded, (tuple, list)) else [excluded] * len(values)
    return [from_datastore(item, item_meaning, flag)
            for item, item_meaning, flag in zip(values, item_meanings, item_excluded)]


MEANING_ZLIB = types.MEANING_ZLIB


def decompress(value):
    """Inflate a zlib-compressed value or list of values (meaning 22, ndb's ``compressed=True``)."""
    if isinstance(value, list):
        return [decompress(item) for item in value]
    if isinstance(value, bytes):
        return zlib.decompress(value)
    return value
