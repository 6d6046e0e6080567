"""The legacy ``google.appengine.ext.db`` API on google-cloud-ndb.

``from compat import db`` and use it as legacy ``db``; or call
``compat.install()`` and keep ``from google.appengine.ext import db``.

Layout, from the bottom up (each module imports only the ones above it in
this list): ``errors``, ``types``, ``config``; ``_rpc`` (the one door to
google-cloud-ndb's internals); ``keys`` (db.Key); ``_values`` (value
conversion); ``properties/`` (value property types); ``_kinds`` (the
metaclass and the kind registry); ``_mapper`` (model instance <-> stored
entity); ``batch`` (get/put/delete ...) and ``transactions``; ``gql`` and
``query/`` (queries); ``references`` (ReferenceProperty, back-references,
prefetching); ``model``, ``expando``, ``polymodel`` (the model classes).
"""

from typing import Any as _Any

from compat import users  # noqa: F401  (legacy db re-exported users)
from compat.capabilities import READ_CAPABILITY, WRITE_CAPABILITY
from compat.db import _mapper
from compat.db._kinds import _kind_map  # noqa: F401  (legacy's registry, read by legacy tests as db._kind_map)
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
    PostalAddressProperty, Property, RatingProperty, StringListProperty, StringProperty, TextProperty,
    TimeProperty, UnindexedProperty, URLProperty, UserProperty,
)
from compat.db.query import (
    GqlQuery, Query, count_dereferences, query_descendants, warn_on_dereferences, websafe_decode_cursor,
    websafe_encode_cursor,
)
from compat.db.references import (
    Reference, ReferenceProperty, SelfReference, SelfReferenceProperty, prefetch_references,
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


def model_to_protobuf(model_instance: Model) -> _Any:
    """The Cloud Datastore v1 ``Entity`` protobuf this instance is stored as.

    Legacy returned the App Engine v3 ``EntityProto``; v3 protobufs do not
    exist off App Engine, so compat returns the v1 form (what is really stored).
    """
    return _mapper.entity_pb(model_instance)


def model_from_protobuf(pb: _Any) -> Model:
    """The instance for a Cloud Datastore v1 ``Entity`` protobuf (or its serialized bytes)."""
    return _mapper.model_from_pb(pb)


def model_is_projection(model_instance: Model) -> bool:
    """True when the instance came from a projection query (only some properties are set)."""
    return _mapper.is_projection(model_instance)
