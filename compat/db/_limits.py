"""Datastore limits that legacy ``db`` (and production) enforced, checked before any RPC.

The Cloud Datastore emulator does not enforce all of them (it stores a
1.2 MB entity, runs a transaction over any number of entity groups), so
compat checks them itself, with legacy's error classes:

* an entity whose stored form exceeds 1 MiB: ``apiproxy_errors.RequestTooLargeError``
  (legacy's ``The request to API call datastore_v3.Put() was too large.``),
  for a single put, one entity of a batch, or a put inside a transaction;
* a transaction that is not cross-group (``xg=False``) touching a second
  entity group, or a cross-group one touching a 26th: ``BadRequestError``
  (legacy's and production's ``cross-groups transaction need to be
  explicitly specified (xg=True)`` / ``operating on too many entity groups
  in a single transaction.``), counting gets, puts, deletes and ancestor
  queries;
* a key that no entity can have (more than 100 path elements, a kind or name
  over 1500 bytes): ``db.get`` answers ``None`` and ``db.delete`` does
  nothing, as legacy did, instead of sending a request the datastore refuses.
"""

import itertools

from compat import apiproxy_errors
from compat.db.errors import BadRequestError

#: Legacy refused a Put request over 1 MiB (apiproxy_stub.MAX_REQUEST_SIZE); one entity per request.
MAX_ENTITY_BYTES = 1 << 20
#: Entity groups one cross-group transaction may touch (legacy and production).
MAX_ENTITY_GROUPS_PER_XG_TRANSACTION = 25
#: Longest key path (elements) and longest kind or name (bytes) the datastore stores.
MAX_KEY_PATH_ELEMENTS = 100
MAX_KEY_PART_BYTES = 1500

# Upper bound of the protobuf bytes of one value that is neither a string nor bytes
# (ints, floats, bools, datetimes, geo points, nulls), plus each property's name overhead.
_SCALAR_BOUND = 24


def check_entity_size(entity, encode):
    """Raise RequestTooLargeError when ``entity`` is stored in more than 1 MiB.

    ``encode(entity)`` gives its protobuf; it is only built when a cheap
    upper bound of the size (every character counted as 4 bytes) is over
    the limit, so ordinary entities pay one pass over their values.
    """
    if _size_bound(entity) <= MAX_ENTITY_BYTES:
        return
    size = encode(entity)._pb.ByteSize()
    if size > MAX_ENTITY_BYTES:
        raise apiproxy_errors.RequestTooLargeError(
            "The request to API call datastore_v3.Put() was too large: the entity %s is %d bytes, over the "
            "1 MiB (%d bytes) limit." % (_describe(entity.key), size, MAX_ENTITY_BYTES))


def _size_bound(entity):
    total = _key_bound(entity.key)
    for name, value in entity.items():
        total += 4 * len(name) + _value_bound(value)
    return total


def _value_bound(value):
    kind = type(value)
    if kind is str:
        return 4 * len(value) + 8
    if kind is bytes:
        return len(value) + 8
    if kind is list:
        return 8 + sum(_value_bound(item) for item in value)
    if isinstance(value, str):  # Text, Email ...
        return 4 * len(value) + 8
    if isinstance(value, bytes):  # Blob, ByteString
        return len(value) + 8
    if hasattr(value, "flat_path"):
        return _key_bound(value)
    if hasattr(value, "items"):  # an embedded entity (a users.User)
        return 8 + sum(4 * len(name) + _value_bound(item) for name, item in value.items())
    return _SCALAR_BOUND


def _key_bound(key):
    if key is None:
        return 0
    total = 4 * (len(key.project or "") + len(key.namespace or "")) + 16
    for part in key.flat_path:
        total += (4 * len(part) if isinstance(part, str) else 10) + 4
    return total


def _describe(key):
    if key is None:
        return "(no key)"
    return "(%s)" % ", ".join(repr(part) for part in key.flat_path)


def key_can_exist(ds_key):
    """False for a key the datastore can never hold (path over 100 elements, an empty kind, a kind or name over
    1500 bytes)."""
    flat = ds_key.flat_path
    if len(flat) > 2 * MAX_KEY_PATH_ELEMENTS:
        return False
    if not all(flat[::2]):  # an empty kind
        return False
    for part in flat:
        if isinstance(part, str) and len(part) * 4 > MAX_KEY_PART_BYTES \
                and len(part.encode("utf-8", "surrogatepass")) > MAX_KEY_PART_BYTES:
            return False
    return True


class EntityGroupTracker:
    """The entity groups one compat transaction has touched, checked as legacy's datastore checked them."""

    __slots__ = ("xg", "groups")

    def __init__(self, xg):
        self.xg = bool(xg)
        self.groups = set()

    def touch(self, ds_keys):
        """Record the groups of ``ds_keys``; BadRequestError (before any RPC) when one too many."""
        groups = self.groups
        for ds_key in ds_keys:
            if ds_key is None:
                continue
            flat = ds_key.flat_path
            if len(flat) > 1:
                group = (ds_key.project, ds_key.namespace or "", flat[0], flat[1])
            else:  # a new root entity: a group of its own once its id is allocated
                group = next(_NEW_ROOTS)
            if group in groups:
                continue
            if not self.xg and groups:
                raise BadRequestError("cross-groups transaction need to be explicitly specified (xg=True): this "
                                      "transaction already uses another entity group than %s"
                                      % _describe(ds_key))
            if len(groups) >= MAX_ENTITY_GROUPS_PER_XG_TRANSACTION:
                raise BadRequestError("operating on too many entity groups in a single transaction (at most %d)."
                                      % MAX_ENTITY_GROUPS_PER_XG_TRANSACTION)
            groups.add(group)


_TRACKERS: dict = {}
_NEW_ROOTS = itertools.count()


def start_tracking(transaction_id, xg):
    """Begin counting the entity groups of the transaction ``transaction_id`` (compat's own transactions)."""
    _TRACKERS[transaction_id] = EntityGroupTracker(xg)


def stop_tracking(transaction_id):
    """Forget a finished transaction."""
    _TRACKERS.pop(transaction_id, None)


def touch_groups(context, ds_keys):
    """Count ``ds_keys``' entity groups against the transaction of ``context`` (no-op outside compat's)."""
    transaction = context.transaction
    if transaction is None:
        return
    tracker = _TRACKERS.get(transaction)
    if tracker is not None:
        tracker.touch(ds_keys)
