"""Canonical names of the legacy APIs and of their google-cloud-ndb targets.

Legacy code reaches the same API under several module paths: the App Engine
SDK (``google.appengine.ext.db``), the shim (``compat.db``, after a
``--to compat`` run) and, in mixed files, legacy ``ndb``. The rules match on
*canonical* names such as ``db.StringProperty`` so they treat all of them alike.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

# Longest prefix first: the first match wins.
_CANONICAL_PREFIXES = (
    ("google.appengine.ext.db.polymodel", "db.polymodel"),
    ("google.appengine.ext.db", "db"),
    ("compat.db.polymodel", "db.polymodel"),
    # the shim's modules of the legacy datastore_types / datastore_errors (what
    # `--to compat` imports) before compat.db itself
    ("compat.db.types", "db"),
    ("compat.datastore_types", "db"),
    ("compat.db.errors", "datastore_errors"),
    ("compat.db", "db"),
    ("google.appengine.api.datastore_errors", "datastore_errors"),
    # db re-exports the value types and Key of datastore_types: the same classes
    ("google.appengine.api.datastore_types", "db"),
    ("google.appengine.api.namespace_manager", "namespace_manager"),
    ("compat.namespace_manager", "namespace_manager"),
    ("compat.users", "users"),
    ("google.appengine.api.capabilities", "capabilities"),
    ("compat.capabilities", "capabilities"),
    ("google.appengine.runtime.apiproxy_errors", "apiproxy_errors"),
    ("compat.apiproxy_errors", "apiproxy_errors"),
    ("google.appengine.ext.blobstore", "blobstore"),
    ("google.appengine.api.users", "users"),
    ("google.appengine.ext.ndb", "ndb"),
    ("google.cloud.ndb", "ndb"),
)

#: Legacy module paths whose import statements DB001 rewrites.
LEGACY_DB_MODULES = ("google.appengine.ext.db", "compat.db")
NDB_MODULE = "google.cloud.ndb"
NDB_ALIAS = "ndb"


@lru_cache(maxsize=4096)
def canonical(qualified_name: str) -> Optional[str]:
    """``google.appengine.ext.db.Key.from_path`` -> ``db.Key.from_path``; None if not legacy/ndb."""
    for prefix, short in _CANONICAL_PREFIXES:
        if qualified_name == prefix:
            return short
        if qualified_name.startswith(prefix + "."):
            return short + qualified_name[len(prefix):]
    return None


#: Property classes of legacy db (canonical names, without the ``db.`` prefix).
LEGACY_PROPERTY_TYPES = frozenset(
    {
        "Property", "StringProperty", "TextProperty", "BlobProperty", "ByteStringProperty",
        "IntegerProperty", "FloatProperty", "BooleanProperty", "DateTimeProperty",
        "DateProperty", "TimeProperty", "GeoPtProperty", "UserProperty", "EmailProperty",
        "LinkProperty", "URLProperty", "CategoryProperty", "PhoneNumberProperty",
        "PostalAddressProperty", "IMProperty", "RatingProperty", "ListProperty",
        "StringListProperty", "ReferenceProperty", "Reference", "SelfReferenceProperty",
        "SelfReference", "ComputedProperty", "UnindexedProperty",
    }
)

#: Canonical names of the model base classes and the flavour they give.
MODEL_BASES = {
    "db.Model": "db",
    "db.Expando": "expando",
    "db.polymodel.PolyModel": "polymodel",
    "ndb.Model": "ndb",
    "ndb.Expando": "ndb",
    "ndb.polymodel.PolyModel": "ndb",
    "ndb.PolyModel": "ndb",
}


#: The public names of legacy ``google.appengine.ext.db`` (what ``from ... import *`` brings in).
LEGACY_DB_PUBLIC = frozenset("""
ALLOWED AUTO_UPDATE_UNCHANGED BadArgumentError BadFilterError BadKeyError BadPropertyError BadQueryError
BadRequestError BadValueError Blob BlobKey BlobProperty BooleanProperty ByteString ByteStringProperty Category
CategoryProperty CommittedButStillApplying ComputedProperty ConfigurationError DateProperty DateTimeProperty
DerivedPropertyError DuplicatePropertyError EVENTUAL_CONSISTENCY Email EmailProperty EntityNotFoundError Error
Expando FloatProperty GeoPt GeoPtProperty GqlQuery IM IMProperty INDEPENDENT Index IntegerProperty InternalError
KEY_RANGE_COLLISION KEY_RANGE_CONTENTION KEY_RANGE_EMPTY Key KindError Link LinkProperty ListProperty MANDATORY
Model NESTED NeedIndexError NotSavedError PhoneNumber PhoneNumberProperty PostalAddress PostalAddressProperty
PropertiedClass Property PropertyError Query QueryNotFoundError READ_CAPABILITY Rating RatingProperty Reference
ReferenceProperty ReferencePropertyResolveError ReservedWordError Rollback RunInTransaction
RunInTransactionCustomRetries STRONG_CONSISTENCY SelfReference SelfReferenceProperty StringListProperty
StringProperty Text TextProperty TimeProperty Timeout TransactionFailedError TransactionNotFoundError URLProperty
UnindexedProperty UserProperty ValidationError WRITE_CAPABILITY allocate_id_range allocate_ids allocate_ids_async
check_reserved_word class_for_kind create_config create_rpc create_transaction_options delete delete_async get
get_async get_indexes get_indexes_async is_in_transaction model_from_protobuf model_is_projection
model_to_protobuf non_transactional put put_async query_descendants run_in_read_only_transaction
run_in_read_only_transaction_options run_in_transaction run_in_transaction_custom_retries
run_in_transaction_options save to_dict transactional websafe_decode_cursor websafe_encode_cursor
""".split())


def absolute_module(module: Optional[str], level: int, package: str) -> str:
    """The absolute module a ``from <dots><module> import`` names, seen from ``package`` (Python 2 and 3 rules for explicit levels)."""
    if not level:
        return module or ""
    bits = package.split(".") if package else []
    if level > 1:
        bits = bits[: len(bits) - (level - 1)]
    base = ".".join(bits)
    if module:
        return f"{base}.{module}" if base else module
    return base
