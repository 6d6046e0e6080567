"""Legacy ``google.appengine.api.datastore_types``: the value types, their validators, and ``Key``.

What ``compat.install()`` serves for ``from google.appengine.api import
datastore_types`` and what ``db2ndb --to compat`` imports instead of it: the
classes of ``compat.db.types`` and ``compat.db.keys.Key`` under the legacy
module's names (the same classes ``compat.db`` exports).
"""

from compat.db.keys import Key
from compat.db.types import (
    KEY_SPECIAL_PROPERTY, IM, UTC, Blob, BlobKey, ByteString, Category, Email, GeoPt, Link, PhoneNumber,
    PostalAddress, Rating, Text, ValidateInteger, ValidateString,
)

__all__ = [
    "KEY_SPECIAL_PROPERTY", "IM", "UTC", "Blob", "BlobKey", "ByteString", "Category", "Email", "GeoPt", "Key",
    "Link", "PhoneNumber", "PostalAddress", "Rating", "Text", "ValidateInteger", "ValidateString",
]
