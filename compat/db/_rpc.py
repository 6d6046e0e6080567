"""The datastore calls compat.db makes, over google-cloud-ndb's own RPC machinery.

Gets, puts, deletes and id allocation go through ``google.cloud.ndb._datastore_api``,
so they are batched by ndb's event loop, join the current ndb transaction,
honour ndb's global cache, and retry transient errors like ndb does. Entities
travel as ``google.cloud.datastore.Entity`` objects built by compat itself,
which is what lets compat write legacy meanings and index flags.

Every write first asks the read-only guard (``compat.capabilities.guard``),
and reports its outcome to it.
"""

from google.cloud.datastore import helpers as _helpers
from google.cloud.ndb import _datastore_api, _options

from compat.capabilities import guard
from compat.db.config import EVENTUAL_CONSISTENCY

NOT_FOUND = _datastore_api._NOT_FOUND


def read_options(config):
    """ndb ReadOptions for a legacy Configuration (timeout, eventual consistency)."""
    if config is None:
        return _options.ReadOptions()
    kwargs = {}
    if config.deadline is not None:
        kwargs["timeout"] = config.deadline
    if config.read_policy == EVENTUAL_CONSISTENCY:
        kwargs["read_consistency"] = _datastore_api.EVENTUAL
    return _options.ReadOptions(**kwargs)


def write_options(config):
    """ndb Options for a legacy Configuration (timeout)."""
    if config is None or config.deadline is None:
        return _options.Options()
    return _options.Options(timeout=config.deadline)


def lookup(ds_key, options):
    """A future for the entity protobuf of ``ds_key`` (or NOT_FOUND)."""
    return _datastore_api.lookup(ds_key, options)


def put(entity, options):
    """A future for the completed ``google.cloud.datastore.Key`` of ``entity``."""
    return _datastore_api.put(entity, options)


def delete(ds_key, options):
    """A future that completes when ``ds_key`` is deleted."""
    return _datastore_api.delete(ds_key, options)


def allocate(ds_keys, options):
    """A future for completed keys allocated for the partial ``ds_keys``."""
    return _datastore_api.allocate(ds_keys, options)


def entity_from_pb(entity_pb):
    """A ``google.cloud.datastore.Entity`` for a lookup or query result protobuf."""
    return _helpers.entity_from_protobuf(entity_pb)


def check_write():
    """Raise CapabilityDisabledError before any RPC while writes are disabled."""
    guard.check_write()


def record_write_result(error=None):
    """Report a write's outcome to the read-only breaker."""
    guard.record_write_result(error)
