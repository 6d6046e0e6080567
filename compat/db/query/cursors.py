"""Query cursors: ``Cursor``, ``websafe_encode_cursor`` / ``websafe_decode_cursor``.

A cursor is the opaque position Cloud Datastore returns after each result
(what ``query.cursor()`` hands out). Its websafe form is URL-safe base64, as
legacy's was, so it survives a query string; padding (``=``) may be left off.

What legacy did with bad input, reproduced: a value that is not a string
raises ``BadValueError``; a string that is not base64 raises ``BadValueError``;
bytes that decode but are no cursor are only found out by the datastore,
which answers ``BadRequestError`` when the query runs. An empty string means
"no cursor" (legacy's empty Cursor pointed at the first result), so
``q.with_cursor(request.get('cursor'))`` works when the parameter is missing.

Cursors written by legacy App Engine (a v3 ``CompiledCursor``) are not
understood by Cloud Datastore; such a string gives ``BadRequestError``.
"""

import base64
import binascii

from compat.db.errors import BadValueError

#: Longest websafe cursor accepted (a real cursor is a few hundred bytes).
MAX_WEBSAFE_LENGTH = 16 * 1024


class Cursor:
    """An immutable position in a query's results (legacy ``datastore_query.Cursor``).

    ``Cursor()`` is the beginning of any query; ``Cursor(urlsafe=s)`` decodes
    a websafe string; ``Cursor.from_bytes(b)`` wraps raw cursor bytes.
    """

    __slots__ = ("_bytes",)

    def __init__(self, urlsafe=None, _cursor_bytes=None):
        if urlsafe is not None and _cursor_bytes is not None:
            raise BadValueError("Can only specify one of urlsafe and _cursor_bytes")
        if urlsafe is not None:
            _cursor_bytes = _decode_websafe(urlsafe)
        self._bytes = bytes(_cursor_bytes or b"")

    @staticmethod
    def from_bytes(cursor):
        """A Cursor for raw cursor bytes (as ``to_bytes()`` gave them)."""
        if not isinstance(cursor, (bytes, bytearray)):
            raise BadValueError("cursor bytes should be bytes (%r)" % (cursor,))
        return Cursor(_cursor_bytes=cursor)

    @staticmethod
    def from_websafe_string(cursor):
        """A Cursor for a websafe string (as ``to_websafe_string()`` or ``query.cursor()`` gave it)."""
        return Cursor(urlsafe=cursor)

    def to_bytes(self):
        """The raw cursor bytes."""
        return self._bytes

    def to_websafe_string(self):
        """The URL-safe base64 form (a ``str``; legacy on Python 2 returned ``str`` too)."""
        return base64.urlsafe_b64encode(self._bytes).decode("ascii")

    urlsafe = to_websafe_string

    def reversed(self):
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
        text = self.to_websafe_string()
        return "Cursor(<%s>)" % text if text else "Cursor()"


def _decode_websafe(cursor):
    if isinstance(cursor, str):
        try:
            raw = cursor.encode("ascii")
        except UnicodeEncodeError:
            raise BadValueError("Invalid cursor %r: not a websafe base64 string" % (cursor[:64],))
    elif isinstance(cursor, (bytes, bytearray)):
        raw = bytes(cursor)
    else:
        raise BadValueError("cursor argument should be str or unicode (%r)" % (cursor,))
    raw = raw.strip()
    if len(raw) > MAX_WEBSAFE_LENGTH:
        raise BadValueError("Invalid cursor %r...: longer than %d characters" % (raw[:64], MAX_WEBSAFE_LENGTH))
    raw = raw.rstrip(b"=")
    if len(raw) % 4 == 1:
        raise BadValueError("Invalid cursor %r: truncated base64" % (raw[:64],))
    try:
        return base64.b64decode(raw + b"=" * (-len(raw) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise BadValueError("Invalid cursor %r. Details: %s" % (raw[:64], error))


def websafe_encode_cursor(cursor):
    """The websafe string of a Cursor (legacy ``db.websafe_encode_cursor``)."""
    if not isinstance(cursor, Cursor):
        raise BadValueError("websafe_encode_cursor expects a Cursor (%r)" % (cursor,))
    return cursor.to_websafe_string()


def websafe_decode_cursor(cursor):
    """The Cursor for a websafe string (legacy ``db.websafe_decode_cursor``); BadValueError if malformed."""
    return Cursor.from_websafe_string(cursor)


def coerce_cursor(value):
    """A Cursor (or None for no cursor) from a websafe string, bytes, a Cursor or an ndb Cursor.

    ``None`` and ``''`` mean "no cursor". BadValueError for anything malformed.
    """
    if value is None:
        return None
    if isinstance(value, Cursor):
        return value or None
    raw_bytes = getattr(value, "cursor", None)
    if isinstance(raw_bytes, bytes) and type(value).__name__ == "Cursor":  # google.cloud.ndb Cursor
        return Cursor(_cursor_bytes=raw_bytes) or None
    return Cursor(urlsafe=value) or None
