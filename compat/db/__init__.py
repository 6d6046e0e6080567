"""The legacy ``google.appengine.ext.db`` API on google-cloud-ndb.

``from compat import db`` and use it as legacy ``db``; or call
``compat.install()`` and keep ``from google.appengine.ext import db``.

Layout: ``errors`` (exception classes), ``types`` (value types), ``keys``
(db.Key), ``properties/`` (every property type), ``model`` / ``expando`` /
``polymodel`` (models), ``batch`` (get/put/delete ...), ``query`` and ``gql``
(queries), ``transactions``, ``config`` (create_config ...).
"""

from compat import users  # noqa: F401  (legacy db re-exported users)
from compat.db.batch import (
    KEY_RANGE_COLLISION, KEY_RANGE_CONTENTION, KEY_RANGE_EMPTY, allocate_id_range, allocate_ids,
    allocate_ids_async, delete, delete_async, get, get_async, get_indexes, get_indexes_async, put,
    put_async, save, to_dict,
)
from compat.db.config import (
    ALLOWED, EVENTUAL_CONSISTENCY, INDEPENDENT, MANDATORY, NESTED, STRONG_CONSISTENCY, create_config,
    create_rpc, create_transaction_options,
)
from compat.db.errors import (
    BadArgumentError, BadFilterError, BadKeyError, BadPropertyError, BadQueryError, BadRequestError,
    BadValueError, CommittedButStillApplying, ConfigurationError, DerivedPropertyError,
    DuplicatePropertyError, EntityNotFoundError, Error, InternalError, KindError, NeedIndexError,
    NotSavedError, PropertyError, QueryNotFoundError, ReferencePropertyResolveError, ReservedWordError,
    Rollback, Timeout, TransactionFailedError, TransactionNotFoundError, ValidationError,
)
from compat.db.expando import Expando
from compat.db.keys import Key
from compat.db.model import Model, PropertiedClass, check_reserved_word, class_for_kind
from compat.db.properties import (
    AUTO_UPDATE_UNCHANGED, BlobProperty, BooleanProperty, ByteStringProperty, CategoryProperty,
    ComputedProperty, DateProperty, DateTimeProperty, EmailProperty, FloatProperty, GeoPtProperty,
    IMProperty, IntegerProperty, LinkProperty, ListProperty, PhoneNumberProperty,
    PostalAddressProperty, Property, RatingProperty, Reference, ReferenceProperty, SelfReference,
    SelfReferenceProperty, StringListProperty, StringProperty, TextProperty, TimeProperty,
    UnindexedProperty, URLProperty, UserProperty,
)
from compat.db.transactions import (
    is_in_transaction, non_transactional, run_in_read_only_transaction,
    run_in_read_only_transaction_options, run_in_transaction, run_in_transaction_custom_retries,
    run_in_transaction_options, transactional,
)
from compat.db.types import (
    IM, Blob, BlobKey, ByteString, Category, Email, GeoPt, Link, PhoneNumber, PostalAddress, Rating, Text,
)

RunInTransaction = run_in_transaction
RunInTransactionCustomRetries = run_in_transaction_custom_retries


def __getattr__(name):
    """Names resolved on first use: queries and the Capabilities constants."""
    if name in ("Query", "GqlQuery", "query_descendants", "websafe_encode_cursor", "websafe_decode_cursor",
                "prefetch_references", "warn_on_dereferences", "count_dereferences"):
        from compat.db import query

        return getattr(query, name)
    if name in ("READ_CAPABILITY", "WRITE_CAPABILITY"):
        from compat import capabilities

        return getattr(capabilities, name)
    raise AttributeError("module 'compat.db' has no attribute %r" % name)


def model_to_protobuf(model_instance):
    """The Cloud Datastore v1 ``Entity`` protobuf this instance is stored as.

    Legacy returned the App Engine v3 ``EntityProto``; v3 protobufs do not
    exist off App Engine, so compat returns the v1 form (what is really stored).
    """
    from google.cloud.datastore import helpers

    from compat.db import _rpc

    return _rpc.entity_to_pb(model_instance._populate_entity())


def model_from_protobuf(pb):
    """The instance for a Cloud Datastore v1 ``Entity`` protobuf (or its serialized bytes)."""
    from google.cloud.datastore_v1.types import entity as entity_pb2

    from compat.db import _rpc

    if isinstance(pb, (bytes, bytearray)):
        pb = entity_pb2.Entity.deserialize(bytes(pb))
    entity = _rpc.entity_from_pb(pb)
    from compat.db.keys import ds_kind

    return class_for_kind(ds_kind(entity.key)).from_entity(entity)


def model_is_projection(model_instance):
    """True when the instance came from a projection query (only some properties are set)."""
    return model_instance._projection is not None
