"""The legacy ``google.appengine.api.memcache`` API over an in-process store.

``compat.install()`` makes ``from google.appengine.api import memcache``
resolve here, so application modules that use memcache import and run, and
legacy test suites that assert on memcache (``memcache.get(...)`` after a
handler ran) keep passing: the testbed stand-in's ``init_memcache_stub()``
empties the store, as legacy's fresh ``MemcacheServiceStub`` did.

Semantics follow legacy's client and service as observed on the legacy SDK
(tests/compat/testbed run the same test file there): values are stored as a
pickled copy (mutating an object after ``set`` does not change the cached
value), ``time`` is seconds from now or, above 30 days, a Unix timestamp,
``delete(key, seconds=n)`` makes ``add``/``replace`` fail for ``n`` seconds,
``incr``/``decr`` work on integers and decimal strings (``decr`` stops at 0,
counters wrap at 2**64), keys over 250 bytes are hashed with SHA-1, values
over 1 MB are refused (ValueError), namespaces default to the current
``namespace_manager`` namespace, and ``gets``/``cas`` compare-and-set.

The store is **process-local**: fine for tests and a single instance, not a
shared cache between instances. For production, use Memorystore (Redis or
memcached) or google-cloud-ndb's global cache; see docs/verify.md.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import time as _time
from typing import Any, Iterable, Mapping, Optional, Tuple, Union

DELETE_NETWORK_FAILURE = 0
DELETE_ITEM_MISSING = 1
DELETE_SUCCESSFUL = 2

STORED = 1
NOT_STORED = 2
ERROR = 3
EXISTS = 4

MAX_KEY_SIZE = 250
MAX_VALUE_SIZE = 10 ** 6

STAT_HITS = "hits"
STAT_MISSES = "misses"
STAT_BYTE_HITS = "byte_hits"
STAT_ITEMS = "items"
STAT_BYTES = "bytes"
STAT_OLDEST_ITEM_AGES = "oldest_item_age"

_MAX_RELATIVE_TIME = 60 * 60 * 24 * 30
_COUNTER_MODULO = 2 ** 64
_RAW = (str, bytes)


#: A memcache key: a string (str or bytes), or ``(hash value, key)`` as legacy's client took it.
MemcacheKey = Union[str, bytes, Tuple[int, Union[str, bytes]]]


class Error(Exception):
    """Base memcache error."""


class _Item:
    __slots__ = ("payload", "raw", "expires", "cas_id", "created")

    def __init__(self, payload, raw, expires, cas_id):
        self.payload = payload
        self.raw = raw
        self.expires = expires
        self.cas_id = cas_id
        self.created = _time.time()

    def value(self):
        return self.payload if self.raw else pickle.loads(self.payload)

    def size(self):
        return len(self.payload) if isinstance(self.payload, (bytes, str)) else len(pickle.dumps(self.payload))


def _namespace(namespace):
    if namespace is not None:
        if not isinstance(namespace, str):
            raise TypeError("namespace must be a string, not %s" % type(namespace).__name__)
        return namespace
    from compat import namespace_manager

    return namespace_manager.get_namespace()


def _server_key(key, key_prefix=""):
    """The stored key: ``key_prefix + key`` as bytes, SHA-1 hashed over 250 bytes (legacy's rule)."""
    if isinstance(key, tuple) and len(key) == 2:
        key = key[1]  # (hash value, key): the hash chose a server; there is one here
    if isinstance(key, str):
        key = key.encode("utf-8")
    elif not isinstance(key, bytes):
        raise TypeError("Key must be a string instance, received %r" % (key,))
    if isinstance(key_prefix, str):
        key_prefix = key_prefix.encode("utf-8")
    full = key_prefix + key
    if len(full) > MAX_KEY_SIZE:
        full = hashlib.sha1(full).hexdigest().encode("ascii")
    return full


def _expiry(time, now):
    if not isinstance(time, (int, float)) or isinstance(time, bool):
        raise TypeError("Expiration must be a number.")
    if time < 0:
        raise ValueError("Expiration must not be negative.")
    if time == 0:
        return None
    if time <= _MAX_RELATIVE_TIME:
        return now + time
    return float(time)


def _encode(value):
    if isinstance(value, _RAW) or (isinstance(value, int) and not isinstance(value, bool)):
        payload, raw = value, True
        size = len(value) if isinstance(value, _RAW) else 8
    else:
        payload, raw = pickle.dumps(value, pickle.HIGHEST_PROTOCOL), False
        size = len(payload)
    if size > MAX_VALUE_SIZE:
        raise ValueError("Values may not be more than %d bytes in length; received %d bytes"
                         % (MAX_VALUE_SIZE, size))
    return payload, raw


class Client:
    """The legacy ``memcache.Client``: every operation of the module-level API as a method.

    All clients (and the module functions) share one process-local store, as
    legacy clients shared the memcache service.
    """

    def __init__(self, servers: Any = None, debug: int = 0, pickleProtocol: int = pickle.HIGHEST_PROTOCOL,
                 pickler: Any = None, unpickler: Any = None, pload: Any = None, pid: Any = None,
                 make_sync_call: Any = None, _app_id: Optional[str] = None) -> None:
        self._cas_ids: dict[Any, int] = {}

    # -- the store ---------------------------------------------------------------------

    def _live(self, namespace, server_key, now):
        item = _STORE.items.get((namespace, server_key))
        if item is not None and item.expires is not None and item.expires <= now:
            del _STORE.items[(namespace, server_key)]
            return None
        return item

    def _locked(self, namespace, server_key, now):
        until = _STORE.delete_locks.get((namespace, server_key))
        if until is None:
            return False
        if until <= now:
            del _STORE.delete_locks[(namespace, server_key)]
            return False
        return True

    # -- reads -------------------------------------------------------------------------

    def get(self, key: MemcacheKey, namespace: Optional[str] = None, for_cas: bool = False) -> Any:
        """The value stored under ``key``, or None."""
        return self.get_multi([key], namespace=namespace, for_cas=for_cas).get(key)

    def gets(self, key: MemcacheKey, namespace: Optional[str] = None) -> Any:
        """``get(key, for_cas=True)``: remember the value's version for :meth:`cas`."""
        return self.get(key, namespace=namespace, for_cas=True)

    def get_multi(self, keys: Iterable[MemcacheKey], key_prefix: Union[str, bytes] = "", namespace: Optional[str] = None,
                  for_cas: bool = False) -> dict[Any, Any]:
        """``{key: value}`` for the keys that are present (``key_prefix`` is not in the returned keys)."""
        namespace = _namespace(namespace)
        now = _time.time()
        found = {}
        with _STORE.lock:
            for key in keys:
                server_key = _server_key(key, key_prefix)
                item = self._live(namespace, server_key, now)
                if item is None:
                    _STORE.misses += 1
                    continue
                _STORE.hits += 1
                _STORE.byte_hits += item.size()
                found[key] = item.value()
                if for_cas:
                    self._cas_ids[(namespace, server_key)] = item.cas_id
        return found

    def peek(self, key: MemcacheKey, namespace: Optional[str] = None) -> Any:
        """Like :meth:`get` (the store keeps no access times to leave untouched)."""
        return self.get(key, namespace=namespace)

    def peek_multi(self, keys: Iterable[MemcacheKey], key_prefix: Union[str, bytes] = "",
                   namespace: Optional[str] = None) -> dict[Any, Any]:
        """Like :meth:`get_multi`."""
        return self.get_multi(keys, key_prefix=key_prefix, namespace=namespace)

    # -- writes ------------------------------------------------------------------------

    def _store(self, policy, mapping, time, key_prefix, namespace):
        """Store each pair under ``policy``; return ``{key: STORED | NOT_STORED | EXISTS}``."""
        namespace = _namespace(namespace)
        now = _time.time()
        expires = _expiry(time, now)
        encoded = [(key, _server_key(key, key_prefix), _encode(value)) for key, value in mapping]
        statuses = {}
        with _STORE.lock:
            for key, server_key, (payload, raw) in encoded:
                slot = (namespace, server_key)
                current = self._live(namespace, server_key, now)
                if policy == "add" and (current is not None or self._locked(namespace, server_key, now)):
                    statuses[key] = NOT_STORED
                    continue
                if policy == "replace" and (current is None or self._locked(namespace, server_key, now)):
                    statuses[key] = NOT_STORED
                    continue
                if policy == "cas":
                    if current is None or slot not in self._cas_ids:
                        statuses[key] = NOT_STORED
                        continue
                    if current.cas_id != self._cas_ids[slot]:
                        statuses[key] = EXISTS
                        continue
                if policy == "set":
                    _STORE.delete_locks.pop(slot, None)
                _STORE.items[slot] = _Item(payload, raw, expires, _STORE.next_cas_id())
                statuses[key] = STORED
        return statuses

    def set(self, key: MemcacheKey, value: Any, time: float = 0, min_compress_len: int = 0,
                namespace: Optional[str] = None) -> bool:
        """Store ``value`` under ``key`` unconditionally; True when stored."""
        return self._store("set", [(key, value)], time, "", namespace)[key] == STORED

    def add(self, key: MemcacheKey, value: Any, time: float = 0, min_compress_len: int = 0,
                namespace: Optional[str] = None) -> bool:
        """Store only if ``key`` is absent (and not delete-locked); True when stored."""
        return self._store("add", [(key, value)], time, "", namespace)[key] == STORED

    def replace(self, key: MemcacheKey, value: Any, time: float = 0, min_compress_len: int = 0,
                    namespace: Optional[str] = None) -> bool:
        """Store only if ``key`` is present; True when stored."""
        return self._store("replace", [(key, value)], time, "", namespace)[key] == STORED

    def cas(self, key: MemcacheKey, value: Any, time: float = 0, min_compress_len: int = 0,
                namespace: Optional[str] = None) -> bool:
        """Store only if ``key`` is unchanged since this client's :meth:`gets`; True when stored."""
        return self._store("cas", [(key, value)], time, "", namespace)[key] == STORED

    def _store_multi(self, policy, mapping, time, key_prefix, namespace):
        statuses = self._store(policy, list(mapping.items()), time, key_prefix, namespace)
        return [key for key, status in statuses.items() if status != STORED]

    def set_multi(self, mapping: Mapping[Any, Any], time: float = 0, key_prefix: Union[str, bytes] = "",
                      min_compress_len: int = 0, namespace: Optional[str] = None) -> list[Any]:
        """Set every pair; the list of keys that were *not* stored."""
        return self._store_multi("set", mapping, time, key_prefix, namespace)

    def add_multi(self, mapping: Mapping[Any, Any], time: float = 0, key_prefix: Union[str, bytes] = "",
                      min_compress_len: int = 0, namespace: Optional[str] = None) -> list[Any]:
        """Add every pair; the list of keys that were *not* stored."""
        return self._store_multi("add", mapping, time, key_prefix, namespace)

    def replace_multi(self, mapping: Mapping[Any, Any], time: float = 0, key_prefix: Union[str, bytes] = "",
                          min_compress_len: int = 0, namespace: Optional[str] = None) -> list[Any]:
        """Replace every pair; the list of keys that were *not* stored."""
        return self._store_multi("replace", mapping, time, key_prefix, namespace)

    def cas_multi(self, mapping: Mapping[Any, Any], time: float = 0, key_prefix: Union[str, bytes] = "",
                      min_compress_len: int = 0, namespace: Optional[str] = None) -> list[Any]:
        """Compare-and-set every pair; the list of keys that were *not* stored."""
        return self._store_multi("cas", mapping, time, key_prefix, namespace)

    def cas_reset(self) -> None:
        """Forget the versions remembered by :meth:`gets`."""
        self._cas_ids.clear()

    # -- deletes -----------------------------------------------------------------------

    def _delete(self, keys, seconds, key_prefix, namespace):
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            raise TypeError("Delete timeout must be a number.")
        if seconds < 0:
            raise ValueError("Delete timeout must not be negative.")
        namespace = _namespace(namespace)
        now = _time.time()
        results = []
        with _STORE.lock:
            for key in keys:
                server_key = _server_key(key, key_prefix)
                present = self._live(namespace, server_key, now) is not None
                _STORE.items.pop((namespace, server_key), None)
                if present and seconds:
                    _STORE.delete_locks[(namespace, server_key)] = now + seconds
                results.append(DELETE_SUCCESSFUL if present else DELETE_ITEM_MISSING)
        return results

    def delete(self, key: MemcacheKey, seconds: float = 0, namespace: Optional[str] = None) -> int:
        """``DELETE_SUCCESSFUL`` (2) or ``DELETE_ITEM_MISSING`` (1)."""
        return self._delete([key], seconds, "", namespace)[0]

    def delete_multi(self, keys: Iterable[MemcacheKey], seconds: float = 0, key_prefix: Union[str, bytes] = "",
                     namespace: Optional[str] = None) -> bool:
        """True (a missing key counts as deleted, as in legacy)."""
        self._delete(keys, seconds, key_prefix, namespace)
        return True

    # -- counters ----------------------------------------------------------------------

    def _offset(self, key, delta, key_prefix, namespace, initial_value, now):
        server_key = _server_key(key, key_prefix)
        item = self._live(namespace, server_key, now)
        if item is None:
            if initial_value is None:
                return None
            current = initial_value
            expires = None
        else:
            value = item.payload if item.raw else None
            if isinstance(value, (str, bytes)):
                text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
                if not text.isdigit():
                    return None
                current = int(text)
            elif isinstance(value, int):
                current = value
            else:
                return None
            expires = item.expires
        result = max(0, current + delta) if delta < 0 else (current + delta) % _COUNTER_MODULO
        _STORE.items[(namespace, server_key)] = _Item(result, True, expires, _STORE.next_cas_id())
        return result

    def _check_delta(self, delta, initial_value):
        if not isinstance(delta, int) or isinstance(delta, bool):
            raise TypeError("Delta must be an integer or long, received %r" % (delta,))
        if delta < 0:
            raise ValueError("Delta must not be negative.")
        if initial_value is not None:
            if not isinstance(initial_value, int) or isinstance(initial_value, bool):
                raise TypeError("initial_value must be an integer or long, received %r" % (initial_value,))
            if initial_value < 0:
                raise ValueError("initial_value must not be negative.")

    def incr(self, key: MemcacheKey, delta: int = 1, namespace: Optional[str] = None,
             initial_value: Optional[int] = None) -> Optional[int]:
        """Add ``delta`` to an integer value; the new value, or None if absent (and no ``initial_value``)."""
        self._check_delta(delta, initial_value)
        with _STORE.lock:
            return self._offset(key, delta, "", _namespace(namespace), initial_value, _time.time())

    def decr(self, key: MemcacheKey, delta: int = 1, namespace: Optional[str] = None,
             initial_value: Optional[int] = None) -> Optional[int]:
        """Subtract ``delta`` (not below 0); the new value, or None if absent."""
        self._check_delta(delta, initial_value)
        with _STORE.lock:
            return self._offset(key, -delta, "", _namespace(namespace), initial_value, _time.time())

    def offset_multi(self, mapping: Mapping[Any, int], key_prefix: Union[str, bytes] = "", namespace: Optional[str] = None,
                     initial_value: Optional[int] = None) -> dict[Any, Optional[int]]:
        """``{key: new value or None}`` for ``{key: delta}`` (negative deltas decrement)."""
        for delta in mapping.values():
            if not isinstance(delta, int) or isinstance(delta, bool):
                raise TypeError("Delta must be an integer or long, received %r" % (delta,))
        self._check_delta(0, initial_value)
        namespace = _namespace(namespace)
        now = _time.time()
        with _STORE.lock:
            return {key: self._offset(key, delta, key_prefix, namespace, initial_value, now)
                    for key, delta in mapping.items()}

    # -- whole cache -------------------------------------------------------------------

    def flush_all(self) -> bool:
        """Empty the store; True."""
        _STORE.clear()
        return True

    def get_stats(self) -> dict[str, int]:
        """``{hits, misses, byte_hits, items, bytes, oldest_item_age}``."""
        now = _time.time()
        with _STORE.lock:
            live = [item for item in _STORE.items.values() if item.expires is None or item.expires > now]
            return {
                STAT_HITS: _STORE.hits,
                STAT_MISSES: _STORE.misses,
                STAT_BYTE_HITS: _STORE.byte_hits,
                STAT_ITEMS: len(live),
                STAT_BYTES: sum(item.size() for item in live),
                STAT_OLDEST_ITEM_AGES: int(now - min((item.created for item in live), default=now)),
            }

    # python-memcached compatibility no-ops, as legacy had
    def set_servers(self, servers: Any) -> None:
        """No-op (legacy compatibility)."""

    def disconnect_all(self) -> None:
        """No-op (legacy compatibility)."""

    def forget_dead_hosts(self) -> None:
        """No-op (legacy compatibility)."""

    def debuglog(self) -> None:
        """No-op (legacy compatibility)."""


class _Store:
    def __init__(self):
        self.lock = threading.RLock()
        self.clear()

    def clear(self):
        with getattr(self, "lock", threading.RLock()):
            self.items = {}
            self.delete_locks = {}
            self.hits = self.misses = self.byte_hits = 0
            self._cas = 0

    def next_cas_id(self):
        self._cas += 1
        return self._cas


_STORE = _Store()


def reset() -> None:
    """Empty the store and its statistics (what the testbed's ``init_memcache_stub()`` does)."""
    _STORE.clear()


_CLIENT = None


def setup_client(client_obj: Client) -> None:
    """Make ``client_obj`` the client behind the module-level functions (legacy API)."""
    global _CLIENT
    _CLIENT = client_obj
    module = globals()
    for name in ("get", "gets", "get_multi", "peek", "peek_multi", "set", "add", "replace", "cas",
                 "set_multi", "add_multi", "replace_multi", "cas_multi", "cas_reset", "delete",
                 "delete_multi", "incr", "decr", "offset_multi", "flush_all", "get_stats"):
        module[name] = getattr(client_obj, name)


setup_client(Client())
