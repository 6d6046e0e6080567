"""Every legacy ``db`` value property type.

``ReferenceProperty`` is in ``compat.db.references``: it gets and queries,
so it sits above ``batch`` and ``query``, which import these.
"""

from compat.db.properties.base import AUTO_UPDATE_UNCHANGED, Property
from compat.db.properties.coercing import (
    CategoryProperty, EmailProperty, GeoPtProperty, IMProperty, LinkProperty, PhoneNumberProperty,
    PostalAddressProperty, RatingProperty, URLProperty,
)
from compat.db.properties.computed import ComputedProperty
from compat.db.properties.datetimes import DateProperty, DateTimeProperty, TimeProperty
from compat.db.properties.lists import ListProperty, StringListProperty
from compat.db.properties.simple import (
    BlobProperty, BooleanProperty, ByteStringProperty, FloatProperty, IntegerProperty, StringProperty,
    TextProperty, UnindexedProperty,
)
from compat.db.properties.users import UserProperty

__all__ = [
    "AUTO_UPDATE_UNCHANGED", "Property", "UnindexedProperty", "StringProperty", "TextProperty",
    "ByteStringProperty", "BlobProperty", "IntegerProperty", "FloatProperty", "BooleanProperty",
    "DateTimeProperty", "DateProperty", "TimeProperty", "ListProperty", "StringListProperty", "EmailProperty",
    "LinkProperty", "URLProperty", "CategoryProperty", "PhoneNumberProperty", "PostalAddressProperty",
    "RatingProperty", "IMProperty", "GeoPtProperty", "UserProperty", "ComputedProperty",
]
