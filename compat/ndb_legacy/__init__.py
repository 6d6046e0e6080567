"""compat.ndb_legacy: the few legacy ``db`` behaviours google-cloud-ndb cannot spell in plain ndb.

``db2ndb --to ndb`` converts legacy code to idiomatic google-cloud-ndb. Where
plain ndb would behave differently from legacy ``db`` -- refuse a value
legacy accepted, accept a value legacy refused, or store an entity legacy
would have stored otherwise -- the converted code uses the small pieces
below instead. They are ordinary ndb properties and functions: they need an
ndb context like any ndb code, never the shim (this module imports only
google-cloud-ndb and the standard library), and they store exactly what
legacy ``db`` stored, so a Python 2 app and the converted app can share one
Datastore (docs/storage.md lists the stored forms, docs/codemods.md what
db2ndb emits).

Properties (each reproduces the legacy property of the same name):

* :class:`StringProperty` -- single-line unless ``multiline=True``;
* :class:`IntegerProperty` -- 64-bit bounds, booleans refused;
* :class:`FloatProperty` -- ints refused;
* :class:`RatingProperty` -- 0-100, stored with meaning 13;
* :class:`EmailProperty`, :class:`LinkProperty`, :class:`CategoryProperty`,
  :class:`PhoneNumberProperty`, :class:`PostalAddressProperty`,
  :class:`IMProperty` -- text only, stored with their GD meanings;
* :class:`TextProperty` -- stored with meaning 15 (``db.Text``);
* :class:`DateProperty` -- refuses datetimes;
* :class:`DateTimeProperty` -- aware values of any zone are stored as UTC
  and read back naive UTC; ``auto_now`` / ``auto_now_add`` values exist from
  the first read, as legacy filled them in at construction;
* :class:`GeoPtProperty` -- also takes ``"lat,lon"`` strings; values are
  :class:`GeoPt` (ndb's, with legacy's ``lat`` / ``lon``);
* :class:`IM` -- ``db.IM``: a ``str`` with ``protocol`` and ``address``;
* :func:`ListProperty` / :func:`StringListProperty` -- ``default=`` (copied
  per entity) and ``required=`` accepted, and an empty list is not written
  at all (ndb writes ``[]``);
* :class:`ReferenceProperty` -- a KeyProperty taking keys of any kind and
  entities (KindError for another class), AttributeError for other values;
* :class:`ClassNamesProperty` -- a PolyModel's ``class`` list as legacy
  stored it (``__name__``s) for a class overriding ``class_name()``.

Property names legacy reserved (``key_name``, ``db.Model``'s methods) raise
:class:`ReservedWordError` when the class is defined.

Functions: :func:`transaction` (``db.run_in_transaction``: a
``Rollback`` returns None, nesting raises BadRequestError),
:func:`key_of` (``entity.key()``: NotSavedError for an entity never put,
where ndb's ``ancestor=None`` would mean no ancestor),
:func:`get` / :func:`put` / :func:`delete` (db's one-or-many batch
functions, where the argument's shape is not known), :func:`key_from_path` /
:func:`get_by_id` / :func:`get_by_key_name` (``db.Key.from_path`` and the
model getters handed on as values, with legacy's argument checks:
:class:`BadKeyError` for an incomplete key), :func:`key_order` (legacy's ordering of keys, for
``sorted``), :func:`not_equal` (legacy's ``!=``: ``< OR >``, which the
emulator and old Datastore versions answer), :func:`merged_by_key` (an
``IN`` / ``!=`` query without a sort order whose results come merged by
key, as legacy's MultiQuery gave them), :func:`cursor_after` (``q.cursor()``
after a loop), :func:`gql` (legacy GQL).

The package's modules: :mod:`~compat.ndb_legacy.values` (value types),
:mod:`~compat.ndb_legacy.properties`, :mod:`~compat.ndb_legacy.lists`,
:mod:`~compat.ndb_legacy.transactions`, :mod:`~compat.ndb_legacy.batch`,
:mod:`~compat.ndb_legacy.keys`, :mod:`~compat.ndb_legacy.queries`,
:mod:`~compat.ndb_legacy.multiquery`,
:mod:`~compat.ndb_legacy.gql`, :mod:`~compat.ndb_legacy.references`,
:mod:`~compat.ndb_legacy.expando`, :mod:`~compat.ndb_legacy.entities`,
:mod:`~compat.ndb_legacy.polymodel`; converted code
uses them through this package (``from compat import ndb_legacy``).
"""

from compat.ndb_legacy.batch import NotSavedError, delete, get, key_of, put
from compat.ndb_legacy.entities import get_or_insert, to_dict
from compat.ndb_legacy.expando import Expando, dynamic_properties
from compat.ndb_legacy.gql import GqlQuery, gql
from compat.ndb_legacy.keys import BadKeyError, get_by_id, get_by_key_name, key_from_path, key_order
from compat.ndb_legacy.lists import ListProperty, StringListProperty
from compat.ndb_legacy.multiquery import MergedQuery, merged_by_key
from compat.ndb_legacy.properties import (
    CategoryProperty, DateProperty, DateTimeProperty, EmailProperty, FloatProperty, GeoPtProperty, IMProperty,
    IntegerProperty, LinkProperty, PhoneNumberProperty, PostalAddressProperty, RatingProperty, ReservedWordError,
    StringProperty, TextProperty,
)
from compat.ndb_legacy.polymodel import ClassNamesProperty
from compat.ndb_legacy.queries import IN, PropertyError, cursor_after, filter_by, not_equal, order_by, websafe_cursor
from compat.ndb_legacy.references import ReferenceProperty, ReferencePropertyResolveError, resolve
from compat.ndb_legacy.transactions import (
    run_in_transaction, run_in_transaction_custom_retries, run_in_transaction_options, transaction,
)
from compat.ndb_legacy.users import UserProperty
from compat.ndb_legacy.values import IM, Category, Email, GeoPt, Link, PhoneNumber, PostalAddress, Rating, Text, User

__all__ = [
    "StringProperty", "IntegerProperty", "FloatProperty", "GeoPt", "IM", "Email", "Link", "Category",
    "PhoneNumber", "PostalAddress", "Rating", "RatingProperty", "EmailProperty", "LinkProperty",
    "CategoryProperty", "PhoneNumberProperty", "PostalAddressProperty", "IMProperty", "TextProperty",
    "DateProperty", "DateTimeProperty", "GeoPtProperty", "ListProperty", "StringListProperty",
    "transaction", "run_in_transaction", "run_in_transaction_custom_retries", "run_in_transaction_options",
    "get", "put", "delete",
    "key_order", "key_from_path", "get_by_id", "get_by_key_name", "BadKeyError", "not_equal", "cursor_after", "websafe_cursor", "gql", "GqlQuery",
    "resolve", "ReferenceProperty", "ReferencePropertyResolveError", "ReservedWordError", "ClassNamesProperty",
    "Expando", "Text", "dynamic_properties", "User", "to_dict",
    "filter_by", "order_by", "PropertyError", "IN", "merged_by_key", "MergedQuery", "NotSavedError", "key_of", "get_or_insert", "UserProperty",
]
