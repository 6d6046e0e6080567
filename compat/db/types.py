"""The legacy datastore value types: Text, Blob, ByteString, Email, Link, GeoPt, ...

Each class validates exactly what ``google.appengine.api.datastore_types``
validated and raises ``BadValueError`` (or ``TypeError``, where legacy did) for
anything else. The ``MEANING`` attribute is the Cloud Datastore v1 meaning
legacy ``db`` stored with values of that type (see docs/storage.md).
"""

from __future__ import annotations

import datetime
from typing import Any, Optional, Union

from compat import _legacy_values as _checks
from compat._legacy_values import MAX_LINK_BYTES, MAX_STRING_BYTES  # noqa: F401 (this module's constants)
from compat.db.errors import BadValueError

# Cloud Datastore v1 meanings used by legacy db.
MEANING_CATEGORY = 1
MEANING_LINK = 2
MEANING_EMAIL = 8
MEANING_IM = 10
MEANING_PHONE_NUMBER = 11
MEANING_POSTAL_ADDRESS = 12
MEANING_RATING = 13
MEANING_TEXT = 15
MEANING_BYTESTRING = 16
MEANING_BLOBKEY = 17
MEANING_USER = 20
MEANING_ZLIB = 22
MEANING_POINT_WITHOUT_V3_MEANING = 23
MEANING_EMPTY_LIST = 24


def _typename(value):
    return type(value).__name__


def validate_string(value: Any, name: str = "unused", exception: type[Exception] = BadValueError,
                    max_len: int = MAX_STRING_BYTES, empty_ok: bool = False) -> None:
    """Legacy ``ValidateString``: a non-empty str/bytes (not a Blob); a ``str`` of at most ``max_len`` UTF-8 bytes.

    As in the legacy SDK on Python 3, the length of a ``bytes`` value is not checked.
    """
    _checks.check_string(value, name, exception, max_len, empty_ok, refused=(Blob,))


#: The property name a query filters or orders on to use the key (``__key__``).
KEY_SPECIAL_PROPERTY = "__key__"


def ValidateString(value: Any, name: str = "unused", exception: type[Exception] = BadValueError,
                   max_len: int = MAX_STRING_BYTES, empty_ok: bool = False) -> None:
    """Legacy ``datastore_types.ValidateString`` (the same checks as :func:`validate_string`)."""
    validate_string(value, name, exception, max_len, empty_ok)


def ValidateInteger(value: Any, name: str = "unused", exception: type[Exception] = BadValueError,
                    empty_ok: bool = False, zero_ok: bool = False, negative_ok: bool = False) -> None:
    """Legacy ``datastore_types.ValidateInteger``: an int, non-zero and non-negative unless allowed.

    ``None`` passes when ``empty_ok``; a bool is an int, as it was for legacy.
    """
    if value is None and empty_ok:
        return
    if not isinstance(value, int):
        raise exception("%s should be an integer; received %s (a %s)." % (name, value, _typename(value)))
    if not value and not zero_ok:
        raise exception("%s must not be 0 (zero)" % name)
    if value < 0 and not negative_ok:
        raise exception("%s must not be negative." % name)


class _UtcTzinfo(datetime.tzinfo):
    """Legacy ``datastore_types.UTC``: the zero-offset zone named ``UTC``."""

    def utcoffset(self, dt):
        return datetime.timedelta(0)

    def dst(self, dt):
        return datetime.timedelta(0)

    def tzname(self, dt):
        return "UTC"

    def __repr__(self):
        return "datastore_types.UTC"


UTC = _UtcTzinfo()


class Text(str):
    """A long string (unindexed; stored with meaning 15). Accepts str, or bytes with an encoding."""

    MEANING = MEANING_TEXT

    def __new__(cls, arg: Union[str, bytes, None] = None, encoding: Optional[str] = None) -> Text:
        if arg is None:
            arg = ""
        if isinstance(arg, str):
            if encoding is not None:
                raise TypeError("Text() with a unicode argument should not specify an encoding")
            return super().__new__(cls, arg)
        if isinstance(arg, bytes):  # legacy refused bytearray (TypeError)
            return super().__new__(cls, arg, encoding or "ascii")
        raise TypeError("Text() argument should be str or unicode, not %s" % _typename(arg))


class _BaseByteType(bytes):
    """bytes whose constructor accepts only bytes (legacy ``_BaseByteType``)."""

    def __new__(cls, arg: Optional[bytes] = None) -> _BaseByteType:
        if arg is None:
            arg = b""
        if isinstance(arg, bytes):
            return super().__new__(cls, arg)
        raise TypeError("%s() argument should be bytes instance, not %s" % (cls.__name__, _typename(arg)))

    def __str__(self) -> str:
        return self.decode("utf-8")


class Blob(_BaseByteType):
    """Binary data of any length, stored unindexed."""


class ByteString(_BaseByteType):
    """A short (<= 1500 bytes) byte string, stored indexed."""


class Category(str):
    """A tag (Atom category); stored as a string with meaning 1."""

    MEANING = MEANING_CATEGORY

    def __init__(self, tag: str) -> None:
        super().__init__()
        validate_string(tag, "tag")


class Link(str):
    """A fully qualified URL; stored as a string with meaning 2 (at most 2083 bytes)."""

    MEANING = MEANING_LINK

    def __init__(self, link: str) -> None:
        super().__init__()
        _checks.check_link(link, BadValueError, refused=(Blob,))


class Email(str):
    """An e-mail address; stored as a string with meaning 8."""

    MEANING = MEANING_EMAIL

    def __init__(self, email: str) -> None:
        super().__init__()
        validate_string(email, "email")


class PhoneNumber(str):
    """A phone number (not validated beyond being a string); meaning 11."""

    MEANING = MEANING_PHONE_NUMBER

    def __init__(self, phone: str) -> None:
        super().__init__()
        validate_string(phone, "phone")


class PostalAddress(str):
    """A postal address (not validated beyond being a string); meaning 12."""

    MEANING = MEANING_POSTAL_ADDRESS

    def __init__(self, address: str) -> None:
        super().__init__()
        validate_string(address, "address")


class Rating(int):
    """An integer rating from 0 to 100; stored as an integer with meaning 13."""

    MEANING = MEANING_RATING
    MIN = 0
    MAX = 100

    def __new__(cls, rating: int) -> Rating:
        return super().__new__(cls, _checks.rating(rating, BadValueError, cls.MIN, cls.MAX))


class _Ordered:
    """Equality, ordering and hashing by ``_tuple()``; other operands are coerced with the class itself.

    Legacy compared a GeoPt or IM with a string by parsing the string
    ("35.6,139.7", "xmpp someone@example.com").
    """

    __slots__ = ()

    @classmethod
    def _coerce(cls, other):
        if isinstance(other, cls):
            return other
        try:
            return cls(other)
        except (BadValueError, TypeError):
            return None

    def _compare(self, other, compare):
        other = self._coerce(other)
        return NotImplemented if other is None else compare(self._tuple(), other._tuple())

    def __eq__(self, other):
        return self._compare(other, tuple.__eq__)

    def __ne__(self, other):
        result = self._compare(other, tuple.__eq__)
        return result if result is NotImplemented else not result

    def __lt__(self, other):
        return self._compare(other, tuple.__lt__)

    def __le__(self, other):
        return self._compare(other, tuple.__le__)

    def __gt__(self, other):
        return self._compare(other, tuple.__gt__)

    def __ge__(self, other):
        return self._compare(other, tuple.__ge__)

    def __hash__(self):
        return hash(self._tuple())


class GeoPt(_Ordered):
    """A geographical point (latitude, longitude); built from two numbers or a "lat,lon" string."""

    __slots__ = ("lat", "lon")

    def __init__(self, lat: Union[float, str], lon: Union[float, str, None] = None) -> None:
        self.lat, self.lon = _checks.geo_point(lat, lon, BadValueError)

    def _tuple(self):
        return (self.lat, self.lon)

    def __repr__(self):
        return "datastore_types.GeoPt(%r, %r)" % (self.lat, self.lon)

    def __str__(self):
        return "%s,%s" % (self.lat, self.lon)


class IM(_Ordered):
    """An instant-messaging handle: a protocol (sip, xmpp, unknown or a URL) and an address.

    Stored as the string ``"<protocol> <address>"`` with meaning 10.
    """

    __slots__ = ("protocol", "address")
    MEANING = MEANING_IM
    PROTOCOLS = list(_checks.IM_PROTOCOLS)

    def __init__(self, protocol: str, address: Optional[str] = None) -> None:
        protocol, address = _checks.im_parts(protocol, address, BadValueError, refused=(Blob,))
        self.address = address
        self.protocol = protocol

    def _tuple(self):
        return (self.address, self.protocol)

    def __repr__(self):
        return "datastore_types.IM(%r, %r)" % (self.protocol, self.address)

    def __str__(self):
        return "%s %s" % (self.protocol, self.address)

    def __len__(self):
        return len(str(self))


class BlobKey:
    """A Blobstore key (stored as a string with meaning 17)."""

    __slots__ = ("_key",)
    MEANING = MEANING_BLOBKEY

    def __init__(self, blob_key: str) -> None:
        validate_string(blob_key, "blob_key", max_len=MAX_STRING_BYTES)
        self._key = blob_key

    def __str__(self):
        return self._key

    def __repr__(self):
        return "datastore_types.BlobKey(%r)" % (self._key,)

    def __eq__(self, other):
        if isinstance(other, BlobKey):
            return self._key == other._key
        return NotImplemented

    def __lt__(self, other):
        if isinstance(other, BlobKey):
            return self._key < other._key
        return NotImplemented

    def __hash__(self):
        return hash(self._key)
