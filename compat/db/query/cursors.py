"""Query cursors: ``Cursor``, ``websafe_encode_cursor`` / ``websafe_decode_cursor``.

A cursor is the opaque position Cloud Datastore returns after each result
(what ``query.cursor()`` hands out). As in the legacy SDK on Python 3, its
websafe form is URL-safe base64 **bytes** (``query.cursor()``,
``websafe_encode_cursor`` and ``Cursor.urlsafe()`` return a :class:`WebsafeCursor`,
a ``bytes`` subclass), and the decoders take ``str`` or ``bytes``.

Python 2 apps put that string into URLs and templates (``'/?cursor=%s' % c``),
which worked because Python 2's ``str`` was bytes. A :class:`WebsafeCursor`
formats as its text (``%s``, ``format()``, ``str()``), so that code keeps
producing the same URLs on Python 3 (plain ``bytes`` would give ``b'...'``).

What legacy did with input from a URL, reproduced:

* ``websafe_decode_cursor`` / ``with_cursor`` decode with the lenient
  ``base64.urlsafe_b64decode`` (characters outside the alphabet are skipped;
  wrong padding or a value that is not a string is ``BadValueError``);
* ``run()`` / ``fetch()`` / ``count()`` take ``start_cursor=`` /
  ``end_cursor=`` as ``Cursor`` objects only (``BadArgumentError`` for a string);
* an empty cursor (``''``, blank) as start means the first result, as end
  means **no results**;
* bytes that decode but are no Cloud Datastore cursor (garbage, a truncated
  cursor, a key string) are refused with ``BadValueError`` when the query
  runs, before any RPC (:func:`check_cursor_bytes`), as legacy refused what
  it could not parse.

Cursors written by legacy App Engine (a v3 ``CompiledCursor``) are not
understood by Cloud Datastore; such a string is refused the same way.
"""

from __future__ import annotations

import base64
import binascii
from typing import Optional, Union

from compat._websafe_cursor import WebsafeCursor  # noqa: F401  (re-exported: compat.db's cursor type)
from compat.db.errors import BadArgumentError, BadValueError, CursorTypeError

#: Longest websafe cursor accepted (a real cursor is a few hundred bytes).
MAX_WEBSAFE_LENGTH = 1024 * 1024


class Cursor:
    """An immutable position in a query's results (legacy ``datastore_query.Cursor``).

    ``Cursor()`` is the beginning of any query (as an end cursor: no
    results); ``Cursor(urlsafe=s)`` decodes a websafe string;
    ``Cursor.from_bytes(b)`` wraps raw cursor bytes.
    """

    __slots__ = ("_bytes",)

    def __init__(self, urlsafe: Union[str, bytes, None] = None, _cursor_bytes: Optional[bytes] = None) -> None:
        if urlsafe is not None:
            if _cursor_bytes is not None:
                raise BadArgumentError("Can only specify one of urlsafe and _cursor_bytes")
            _cursor_bytes = _decode_websafe(urlsafe)
        self._bytes = bytes(_cursor_bytes or b"")

    @staticmethod
    def from_bytes(cursor: bytes) -> Cursor:
        """A Cursor for raw cursor bytes (as ``to_bytes()`` gave them)."""
        if not isinstance(cursor, (bytes, bytearray)):
            raise BadValueError("cursor bytes should be bytes (%r)" % (cursor,))
        return Cursor(_cursor_bytes=cursor)

    @staticmethod
    def from_websafe_string(cursor: Union[str, bytes]) -> Cursor:
        """A Cursor for a websafe string (as ``to_websafe_string()`` or ``query.cursor()`` gave it)."""
        return Cursor(_cursor_bytes=_decode_websafe(cursor))

    def to_bytes(self) -> bytes:
        """The raw cursor bytes."""
        return self._bytes

    def to_websafe_string(self) -> WebsafeCursor:
        """The URL-safe base64 form: bytes (as the legacy SDK on Python 3) that format as text (as Python 2's str)."""
        return WebsafeCursor(base64.urlsafe_b64encode(self._bytes))

    urlsafe = to_websafe_string

    def reversed(self) -> Cursor:
        """Deprecated in legacy: a copy (a cursor works for the reversed query as it is)."""
        return Cursor(_cursor_bytes=self._bytes)

    def __bool__(self):
        return bool(self._bytes)

    def __eq__(self, other):
        if not isinstance(other, Cursor):
            return NotImplemented
        return self._bytes == other._bytes

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self):
        return hash(self._bytes)

    def __repr__(self):
        text = self.to_websafe_string().decode("ascii")
        return "Cursor(<%s>)" % text if text else "Cursor()"


def _decode_websafe(cursor):
    """Legacy ``Cursor._urlsafe_to_bytes``: the lenient URL-safe base64 decoding of a str or bytes."""
    if not isinstance(cursor, (str, bytes)):
        raise BadValueError("cursor argument should be str or unicode (%r)" % (cursor,))
    if len(cursor) > MAX_WEBSAFE_LENGTH:
        raise BadValueError("Invalid cursor %r...: longer than %d characters" % (cursor[:64], MAX_WEBSAFE_LENGTH))
    try:
        raw = cursor.encode("ascii") if isinstance(cursor, str) else cursor
        return base64.urlsafe_b64decode(raw)
    except (binascii.Error, ValueError, TypeError) as error:
        raise BadValueError("Invalid cursor %s. Details: %s" % (cursor[:64], error))


def check_cursor_bytes(data):
    """BadValueError unless ``data`` (non-empty) is shaped like a Cloud Datastore cursor.

    Cloud Datastore cursors are protocol buffer messages whose first field
    is field 1, length-delimited; the whole message must parse (valid tags,
    varints and lengths, nothing truncated). Garbage, a truncated cursor and
    a key string (a ``Reference``, whose first field is 13) are refused here,
    before any RPC, instead of by the datastore.
    """
    if not data:
        return
    if data[0] != 0x0A or not _is_message(data):
        raise BadValueError("Invalid cursor %s: not a query cursor (garbage, truncated, or another kind of string)"
                            % (base64.urlsafe_b64encode(data[:48]).decode("ascii"),))


def _is_message(data):
    """True when ``data`` is a complete protocol buffer wire-format message."""
    position, end = 0, len(data)
    while position < end:
        tag, position = _varint(data, position)
        if tag is None or tag >> 3 == 0:
            return False
        wire_type = tag & 7
        if wire_type == 0:
            _value, position = _varint(data, position)
            if _value is None:
                return False
        elif wire_type == 1:
            position += 8
        elif wire_type == 2:
            length, position = _varint(data, position)
            if length is None:
                return False
            position += length
        elif wire_type == 5:
            position += 4
        else:
            return False
        if position > end:
            return False
    return True


def _varint(data, position):
    result = shift = 0
    while position < len(data) and shift < 70:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7
    return None, position


def websafe_encode_cursor(cursor: Cursor) -> WebsafeCursor:
    """The websafe form of a Cursor, as ``bytes`` (legacy ``db.websafe_encode_cursor``)."""
    if not isinstance(cursor, Cursor):
        raise CursorTypeError("websafe_encode_cursor expects a Cursor (%r)" % (cursor,))
    return cursor.to_websafe_string()


def websafe_decode_cursor(cursor: Union[str, bytes]) -> Cursor:
    """The Cursor for a websafe ``str`` or ``bytes`` (legacy ``db.websafe_decode_cursor``); BadValueError if it
    is not base64."""
    return Cursor.from_websafe_string(cursor)


def cursor_from_websafe(value: Union[str, bytes, None]) -> Optional[Cursor]:
    """``with_cursor``'s argument: None (no cursor) or the Cursor of a websafe str / bytes (BadValueError)."""
    if value is None:
        return None
    return websafe_decode_cursor(value)


def cursor_argument(name, value):
    """``run(start_cursor=...)``'s argument: None, a Cursor (a google-cloud-ndb Cursor too) -
    BadArgumentError for anything else, strings included (legacy)."""
    if value is None or isinstance(value, Cursor):
        return value
    raw_bytes = getattr(value, "cursor", None)
    if isinstance(raw_bytes, bytes) and type(value).__name__ == "Cursor":  # google.cloud.ndb Cursor
        return Cursor(_cursor_bytes=raw_bytes)
    raise BadArgumentError("%s argument should be datastore_query.Cursor (%r)" % (name, value))
