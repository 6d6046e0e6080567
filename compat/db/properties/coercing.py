"""Properties whose values are coerced to a legacy value type: Email, Link, GeoPt, Rating, ...

Each stores its type's meaning (see compat.db.types) so legacy readers and
tools that look at meanings see what legacy wrote.
"""

from __future__ import annotations

from typing import Any

import urllib.parse

from compat.db.errors import BadValueError
from compat.db.properties.base import Property
from compat.db.properties.simple import IntegerProperty
from compat.db import types


class _CoercingProperty(Property):
    """Coerces assigned values (except None) to ``data_type``."""

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        return self._check_type(value)

    def _check_type(self, value):
        if value is not None and not isinstance(value, self.data_type):
            value = self.data_type(value)
        return value


class CategoryProperty(_CoercingProperty):
    """A ``db.Category`` (string, meaning 1)."""

    data_type = types.Category


class LinkProperty(_CoercingProperty):
    """A ``db.Link``: a full URL with scheme and host (string, meaning 2)."""

    data_type = types.Link

    def _check_type(self, value):
        value = super()._check_type(value)
        if value is not None:
            scheme, netloc, _, _, _ = urllib.parse.urlsplit(value)
            if not scheme or not netloc:
                raise BadValueError("Property %s must be a full URL ('%s')" % (self.name, value))
        return value


URLProperty = LinkProperty


class EmailProperty(_CoercingProperty):
    """A ``db.Email`` (string, meaning 8)."""

    data_type = types.Email


class GeoPtProperty(_CoercingProperty):
    """A ``db.GeoPt`` (geo_point)."""

    data_type = types.GeoPt


class IMProperty(_CoercingProperty):
    """A ``db.IM`` (string ``"protocol address"``, meaning 10)."""

    data_type = types.IM


class PhoneNumberProperty(_CoercingProperty):
    """A ``db.PhoneNumber`` (string, meaning 11)."""

    data_type = types.PhoneNumber


class PostalAddressProperty(_CoercingProperty):
    """A ``db.PostalAddress`` (string, meaning 12)."""

    data_type = types.PostalAddress


class RatingProperty(_CoercingProperty, IntegerProperty):
    """A ``db.Rating``: an integer from 0 to 100 (integer, meaning 13)."""

    data_type = types.Rating

    def _check_type(self, value):
        # Legacy order: the IntegerProperty checks on the value as given (so "100" and True are
        # refused), then the coercion to Rating (0-100).
        value = IntegerProperty._check_type(self, value)
        return _CoercingProperty._check_type(self, value)
