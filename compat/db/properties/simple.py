"""Scalar properties: strings, text, bytes, integers, floats and booleans, with legacy validation."""

from __future__ import annotations

from typing import Any, Optional

import zlib

from compat.db._values import to_datastore
from compat.db.errors import BadValueError
from compat.db.properties.base import Property
from compat.db.types import MEANING_BYTESTRING, MEANING_ZLIB, Blob, ByteString, Text

_INT64_MIN = -0x8000000000000000
_INT64_MAX = 0x7FFFFFFFFFFFFFFF


class UnindexedProperty(Property):
    """Base of TextProperty and BlobProperty: never indexed, values coerced to ``data_type``.

    ``compressed=True`` (a compat extension, matching google-cloud-ndb) stores
    the value zlib-compressed with meaning 22; compressed values are read
    whatever the option says.

    Like legacy, ``indexed=True`` is refused (ConfigurationError) and the
    attribute ``indexed`` then reads True: the values are unindexed because of
    their type, while a ``None`` is stored as an indexed null.
    """

    def __init__(self, *args: Any, compressed: bool = False, **kwds: Any) -> None:
        self._require_parameter(kwds, "indexed", False)
        kwds["indexed"] = True
        super().__init__(*args, **kwds)
        self.compressed = compressed
        if compressed:
            self._encode = self._encode_compressed

    def _encode_compressed(self, value):
        """Compat extension ``compressed=True``: store zlib data with meaning 22, as google-cloud-ndb does.

        For kinds that ndb code declares with ``compressed=True`` (ndb cannot
        read an uncompressed value back into a compressed property).
        """
        if value is None:
            return None, None, False
        data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        return zlib.compress(data), MEANING_ZLIB, True

    def validate(self, value: Any) -> Any:
        if value is not None and not isinstance(value, self.data_type):
            value = self._coerce(value)
        value = super().validate(value)
        if value is not None and not isinstance(value, self.data_type):
            raise BadValueError("Property %s must be a %s instance" % (self.name, self.data_type.__name__))
        return value

    def _coerce(self, value):
        try:
            return self.data_type(value)
        except TypeError as error:
            raise BadValueError("Property %s must be convertible to a %s instance (%s)"
                                % (self.name, self.data_type.__name__, error))

    def _check_type(self, value):
        if not isinstance(value, self.data_type):
            value = self._coerce(value)
        return value


class TextProperty(UnindexedProperty):
    """A string of any length, stored unindexed with meaning 15 (``db.Text``)."""

    data_type = Text

    def make_value_from_datastore(self, value: Any) -> Any:
        if isinstance(value, bytes):  # inflated from ndb's compressed=True, or a text with a lone surrogate
            return Text(value.decode("utf-8", "surrogatepass"))
        return value


class BlobProperty(UnindexedProperty):
    """Binary data of any length, stored unindexed (``db.Blob``)."""

    data_type = Blob


class StringProperty(Property):
    """A short string (at most 1500 characters; newlines only with ``multiline=True``).

    The length is checked in characters, as the final legacy SDKs did; a
    multibyte value over 1500 *bytes* is refused by the datastore at put
    time with BadRequestError, as it was in legacy.
    """

    MAX_LENGTH = 1500
    data_type = str

    def __init__(self, verbose_name: Optional[str] = None, multiline: bool = False, **kwds: Any) -> None:
        super().__init__(verbose_name, **kwds)
        self.multiline = multiline

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        return self._check_type(value)

    def _check_type(self, value):
        if value is None:
            return value
        if not isinstance(value, str):
            raise BadValueError("Property %s must be a str or unicode instance, not a %s"
                                % (self.name, type(value).__name__))
        if not self.multiline and value and "\n" in value:
            raise BadValueError("Property %s is not multi-line" % self.name)
        if len(value) > self.MAX_LENGTH:
            raise BadValueError("Property %s is %d bytes long; it must be %d or less."
                                % (self.name, len(value), self.MAX_LENGTH))
        return value

    def _filter_value(self, value):
        # Range filters legitimately use values a property would not accept
        # (e.g. a prefix bound with a newline is still a string).
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadValueError("Property %s must be a str or unicode instance, not a %s"
                                % (self.name, type(value).__name__))
        return value


class ByteStringProperty(Property):
    """A short (<= 1500 bytes) indexed byte string (``db.ByteString``); str is encoded as UTF-8."""

    MAX_LENGTH = 1500
    data_type = ByteString

    def _encode(self, value):
        """The stored form; with ``indexed=False`` the blob keeps meaning 16 (BYTESTRING), as legacy's
        v3 -> v1 conversion kept it on unindexed ByteStrings."""
        stored, meaning, raw = to_datastore(value)
        if value is not None and not self.indexed:
            meaning = MEANING_BYTESTRING
        return stored, meaning, raw

    def validate(self, value: Any) -> Any:
        if value is not None and not isinstance(value, ByteString):
            value = self._coerce(value)
        value = super().validate(value)
        return self._check_type(value)

    def _coerce(self, value):
        try:
            if isinstance(value, str):
                value = value.encode("utf-8")
            return ByteString(value)
        except TypeError as error:
            raise BadValueError("Property %s must be convertible to a ByteString instance (%s)" % (self.name, error))

    def _check_type(self, value):
        if value is None:
            return value
        if not isinstance(value, ByteString):
            value = self._coerce(value)
        if len(value) > self.MAX_LENGTH:
            raise BadValueError("Property %s is %d bytes long; it must be %d or less."
                                % (self.name, len(value), self.MAX_LENGTH))
        return value


class _TypeCheckedProperty(Property):
    """Legacy validation (required, choices, validator) then the type check; only None is empty."""

    def validate(self, value: Any) -> Any:
        return self._check_type(super().validate(value))

    def empty(self, value: Any) -> bool:
        return value is None


class IntegerProperty(_TypeCheckedProperty):
    """A 64-bit signed integer (bools refused). ``0`` is not empty."""

    data_type: type = int

    def _check_type(self, value):
        if value is None:
            return value
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadValueError("Property %s must be an int or long, not a %s" % (self.name, type(value).__name__))
        if value < _INT64_MIN or value > _INT64_MAX:
            raise BadValueError("Property %s must fit in 64 bits" % self.name)
        return value


class FloatProperty(_TypeCheckedProperty):
    """A float (ints are refused, as in legacy). ``0.0`` is not empty."""

    data_type = float

    def _check_type(self, value):
        if value is not None and not isinstance(value, float):
            raise BadValueError("Property %s must be a float" % self.name)
        return value


class BooleanProperty(_TypeCheckedProperty):
    """A bool. ``False`` is not empty."""

    data_type = bool

    def _check_type(self, value):
        if value is not None and not isinstance(value, bool):
            raise BadValueError("Property %s must be a bool" % self.name)
        return value
