"""ListProperty and StringListProperty: multi-valued properties with legacy semantics.

A filter on a list property matches when any value matches. An empty list is
not written at all (the property is absent from the stored entity) unless
``write_empty_list=True``; ``indexed=False`` excludes each element from the
indexes. Lists of dates or times are stored as datetimes, as legacy did.
"""

from __future__ import annotations

from typing import Any, Optional

import datetime

from compat import users
from compat.db import types
from compat.db.errors import BadValueError
from compat.db.keys import Key
from compat.db.properties.base import Property
from compat.db._values import date_to_datetime, naive_utc, time_to_datetime, to_datastore

#: The item types legacy accepted for ListProperty.
ALLOWED_ITEM_TYPES = frozenset([
    bytes, str, bool, int, float, Key, datetime.datetime, datetime.date, datetime.time,
    types.Blob, types.ByteString, types.Text, users.User, types.Category, types.Link,
    types.Email, types.GeoPt, types.IM, types.PhoneNumber, types.PostalAddress,
    types.Rating, types.BlobKey,
])


class ListProperty(Property):
    """A list of values of one ``item_type`` (``required`` may only be True; default ``[]``)."""

    data_type = list

    def __init__(self, item_type: type, verbose_name: Optional[str] = None, default: Optional[list[Any]] = None,
                 write_empty_list: Optional[bool] = None, **kwds: Any) -> None:
        if not isinstance(item_type, type):
            raise TypeError("Item type should be a type object")
        if item_type not in ALLOWED_ITEM_TYPES:
            raise ValueError("Item type %s is not acceptable" % item_type.__name__)
        if issubclass(item_type, (types.Blob, types.Text)):
            self._require_parameter(kwds, "indexed", False)
            kwds["indexed"] = True
        self._require_parameter(kwds, "required", True)
        if default is None:
            default = []
        self.item_type = item_type
        if write_empty_list is not None:
            self._write_empty_list = write_empty_list
        super().__init__(verbose_name, default=default, **kwds)

    def _encode(self, value: Any) -> tuple[Any, Optional[int], Any]:
        """The stored form; unindexed ByteString items keep meaning 16 (BYTESTRING), as legacy stored them."""
        stored, meaning, raw = to_datastore(value)
        if value and not self.indexed and self.item_type is types.ByteString:
            meaning = types.MEANING_BYTESTRING
        return stored, meaning, raw

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        if value is not None:
            if not isinstance(value, list):
                raise BadValueError("Property %s must be a list" % self.name)
            value = self.validate_list_contents(value)
        return value

    def validate_list_contents(self, value: list[Any]) -> list[Any]:
        """Check that every item is an instance of ``item_type`` (ints accept bools, as legacy)."""
        item_type = self.item_type
        if item_type is bytes:
            if not all(isinstance(item, (str, bytes)) for item in value):  # legacy six.ensure_binary
                raise BadValueError("Item in the %s list can not be converted to byte." % self.name)
            value = [item.encode("utf-8") if isinstance(item, str) else item for item in value]
        for item in value:
            if not isinstance(item, item_type):
                if item_type is int:
                    raise BadValueError("Items in the %s list must all be integers." % self.name)
                raise BadValueError("Items in the %s list must all be %s instances" % (self.name, item_type.__name__))
        return value

    def empty(self, value: Any) -> bool:
        return value is None

    def default_value(self) -> Any:
        return list(super().default_value())

    def get_value_for_datastore(self, model_instance: Any) -> Any:
        value = super().get_value_for_datastore(model_instance)
        if not value:
            return value
        value = self.validate_list_contents(value)
        if self.validator:
            self.validator(value)
        return self._to_stored_form(value)

    def _to_stored_form(self, value: Any) -> Any:
        if self.item_type is datetime.date:
            return [date_to_datetime(item) for item in value]
        if self.item_type is datetime.time:
            return [time_to_datetime(item) for item in value]
        return value

    def make_value_from_datastore(self, value: Any) -> Any:
        if value is None:
            return []
        if not isinstance(value, list):
            value = [value]
        if self.item_type is datetime.date:
            return [naive_utc(item).date() for item in value]
        if self.item_type is datetime.time:
            return [naive_utc(item).time() for item in value]
        if self.item_type in _COERCED_ITEM_TYPES:
            coerce = self.item_type
            return [item if item is None or isinstance(item, coerce) else coerce(item) for item in value]
        return value

    def make_value_from_datastore_index_value(self, index_value: Any) -> Any:
        return self.make_value_from_datastore([index_value])

    def _filter_value(self, value: Any) -> Any:
        """A single item (legacy: any value of the list matches)."""
        if value is None:
            return None
        if isinstance(value, (list, tuple)):
            raise BadValueError("Filtering on lists is not supported")
        item = self.validate_list_contents([value])[0]
        if isinstance(item, datetime.datetime):
            return item
        if isinstance(item, datetime.date) and self.item_type is datetime.date:
            return date_to_datetime(item)
        if isinstance(item, datetime.time):
            return time_to_datetime(item)
        return item


# Item types whose stored form loses the Python type unless the meaning
# survived (e.g. written by ndb): coerce them back on load.
_COERCED_ITEM_TYPES = frozenset([
    types.Text, types.Blob, types.ByteString, types.Category, types.Link, types.Email,
    types.PhoneNumber, types.PostalAddress, types.Rating, types.IM, types.GeoPt,
])


class StringListProperty(ListProperty):
    """A list of strings (shorthand for ``ListProperty(str)``)."""

    def __init__(self, verbose_name: Optional[str] = None, default: Optional[list[str]] = None,
                 write_empty_list: Optional[bool] = None, **kwds: Any) -> None:
        super().__init__(str, verbose_name=verbose_name, default=default, write_empty_list=write_empty_list, **kwds)
