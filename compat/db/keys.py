"""``db.Key``: the legacy key, its exact string form, and conversion to and from ndb keys.

A ``db.Key`` wraps a ``google.cloud.datastore.Key``. ``str(key)`` is the very
string production App Engine gave (base64 of the legacy ``Reference`` with
the partition-prefixed app id, e.g. ``s~my-app``), so keys already stored in
URLs, cookies and string properties keep working; ``db.Key(encoded)``
accepts such strings with or without the prefix (ndb's ``urlsafe()`` drops it).

Decoding an untrusted string is strict: malformed, truncated or incomplete
keys raise ``BadKeyError``, and so do keys of another project unless the
project check is turned off (``compat.configure(check_key_project=False)``).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Optional, Protocol, Union

from google.cloud.datastore import _app_engine_key_pb2
from google.cloud.datastore.key import Key as _DsKey
from google.cloud.ndb import Key as _NdbKey
from google.protobuf.message import DecodeError

from compat import _context, namespace_manager
from compat._config import settings
from compat.db import _rpc
from compat.db.errors import BadArgumentError, BadKeyError, BadRequestError, BadValueError
from compat.db.types import validate_string

_MAX_ENCODED_LENGTH = 1024 * 1024


def ds_kind(ds_key: _DsKey) -> str:
    """The kind of a datastore key, read from ``flat_path`` (``Key.kind`` deep-copies the path)."""
    flat = ds_key.flat_path
    return flat[-2] if len(flat) % 2 == 0 else flat[-1]


def ds_id_or_name(ds_key: _DsKey) -> Union[int, str, None]:
    """The id or name of a datastore key, or None when partial (without copying the path)."""
    flat = ds_key.flat_path
    return flat[-1] if len(flat) % 2 == 0 else None


def _split_app(app: str) -> tuple[Optional[str], str]:
    """``'s~proj'`` -> ``('s~', 'proj')``; ``'proj'`` -> ``(None, 'proj')``."""
    if "~" in app:
        prefix, _, project = app.partition("~")
        return prefix + "~", project
    return None, app


def project_of(app: Optional[str]) -> str:
    """The project an ``_app`` argument names (its partition prefix dropped); None: compat's project."""
    if app is None:
        return _context.project()
    return _split_app(app)[1]


def _decode_reference(encoded: Any) -> tuple[Any, list[Union[str, int]], str, Optional[int]]:
    """``(reference, flat_path, text, both_id)`` for an encoded key string, decoded as legacy decoded it.

    Legacy padded the string to a multiple of 4 and used the lenient
    ``base64.urlsafe_b64decode`` (characters outside the alphabet, such as
    spaces or a trailing newline, are skipped). The last path element may be
    incomplete (no id, id 0 or an empty name: an incomplete key, as legacy
    gave); ``both_id`` is the id of a last element that carries a name too.
    """
    if isinstance(encoded, str):
        raw = encoded.encode("utf-8", "surrogatepass")
    elif isinstance(encoded, bytes):
        raw = encoded
    else:
        raise BadArgumentError("Key() expects a string; received %r (a %s)." % (encoded, type(encoded).__name__))
    if len(raw) > _MAX_ENCODED_LENGTH:
        raise BadKeyError("Invalid string key %r...: longer than %d characters." % (raw[:64], _MAX_ENCODED_LENGTH))
    try:
        data = base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4))
    except (binascii.Error, ValueError) as error:
        raise BadKeyError("Invalid string key %r. Details: %s" % (raw[:64], error))
    reference = _app_engine_key_pb2.Reference()
    try:
        reference.ParseFromString(data)
    except (DecodeError, RuntimeError, ValueError) as error:
        raise BadKeyError("Invalid string key %r: not an encoded key (%s)." % (raw[:64], error))
    if not reference.HasField("app") or not reference.HasField("path"):
        raise BadKeyError("Invalid string key %r: not an encoded key (no application id or path)." % (raw[:64],))
    if not reference.path.element:
        raise BadKeyError("Invalid string key %r: empty key path." % (raw[:64],))
    if reference.database_id:
        raise BadKeyError("Invalid string key %r: keys of named databases are not supported." % (raw[:64],))
    flat = []
    both_id = None
    elements = reference.path.element
    last = len(elements) - 1
    for index, element in enumerate(elements):
        flat.append(element.type)  # legacy accepted an empty kind too
        if element.name:
            flat.append(element.name)
            if element.id and index == last:
                both_id = element.id
        elif element.id:
            flat.append(element.id)
        elif index != last:
            raise BadKeyError("Invalid string key %r: the key is incomplete (kind %s has no id or name)."
                              % (raw[:64], element.type))
        elif element.HasField("id") or element.HasField("name"):
            flat.append(0 if element.HasField("id") else "")  # an incomplete key, as from_path(kind, 0) makes
    return reference, flat, raw.rstrip(b"=").decode("ascii", "replace"), both_id


class Key:
    """The primary key of a datastore entity (legacy ``db.Key``).

    ``Key(encoded)`` decodes a string made by ``str(key)`` (legacy, with or
    without the ``s~`` partition prefix); ``Key.from_path(...)`` builds one.
    Keys are immutable, hashable and ordered as Datastore orders them.
    """

    __slots__ = ("_ds", "_partition", "_str", "_both_id")

    def __init__(self, encoded: Union[str, bytes, None] = None) -> None:
        self._str = None
        self._partition = None
        self._both_id = None
        if encoded is None:
            self._ds = None
            return
        reference, flat, text, both_id = _decode_reference(encoded)
        partition, project = _split_app(reference.app)
        if settings.check_key_project:
            expected = _context.project()
            if project != expected:
                raise BadKeyError(
                    "Key %r belongs to project %r, not %r (turn the check off with "
                    "compat.configure(check_key_project=False))." % (text[:64], project, expected)
                )
        namespace = reference.name_space or None
        if settings.key_namespaces is not None and (namespace or "") not in settings.key_namespaces:
            raise BadKeyError("Key %r is in namespace %r, which is not accepted here." % (text[:64], namespace or ""))
        try:
            self._ds = _DsKey(*flat, project=project, namespace=namespace)
        except ValueError as error:
            raise BadKeyError("Invalid string key %r: %s" % (text[:64], error))
        self._partition = partition
        self._both_id = both_id
        if partition is not None:
            self._str = text  # legacy returns the string it was given

    # -- construction ----------------------------------------------------------------

    @classmethod
    def _from_ds(cls, ds_key: _DsKey, partition: Optional[str] = None) -> Key:
        key = cls.__new__(cls)
        key._ds = ds_key
        key._partition = partition
        key._str = None
        key._both_id = None
        return key

    @staticmethod
    def from_path(*args: Union[str, int], **kwds: Any) -> Key:
        """Build a key from ``kind, id_or_name`` pairs; ``parent=``, ``namespace=``, ``_app=``."""
        parent = kwds.pop("parent", None)
        app = kwds.pop("_app", None)
        namespace = kwds.pop("namespace", None)
        if kwds:
            raise BadArgumentError("Excess keyword arguments " + repr(kwds))
        if not args or len(args) % 2:
            raise BadArgumentError(
                "A non-zero even number of positional arguments is required "
                "(kind, id or name, kind, id or name, ...); received %r" % (args,)
            )
        partition = None
        if app is not None:
            if not isinstance(app, str) or not app:
                raise BadArgumentError("_app must be a non-empty string; received %r" % (app,))
            partition, project = _split_app(app)
        else:
            project = _context.project()
        if parent is not None:
            if not isinstance(parent, Key):
                raise BadArgumentError("Expected None or a Key as parent; received %r (a %s)."
                                       % (parent, type(parent).__name__))
            if not parent.has_id_or_name():
                raise BadKeyError("The parent Key is incomplete.")
            assert parent._ds is not None  # a complete key has one
            if namespace is None:
                namespace = parent.namespace()
            if (app is not None and project != parent._ds.project) or namespace != parent.namespace():
                raise BadArgumentError(
                    "The app/namespace arguments (%s/%s) should match parent.app/namespace() (%s/%s)"
                    % (app or project, namespace, parent.app(), parent.namespace())
                )
            project = parent._ds.project
            partition = partition or parent._partition
        if namespace is None:
            namespace = namespace_manager.get_namespace()
        elif not isinstance(namespace, str):
            raise BadArgumentError("namespace must be a string; received %r" % (namespace,))
        else:
            namespace_manager.validate_namespace(namespace, BadArgumentError)
        path = list(parent._ds.flat_path) if parent is not None else []
        for index in range(0, len(args), 2):
            kind, id_or_name = args[index], args[index + 1]
            if not isinstance(kind, str):
                raise BadArgumentError("Expected a string kind as argument %d; received %r (a %s)."
                                       % (index + 1, kind, type(kind).__name__))
            if isinstance(id_or_name, str):
                validate_string(id_or_name, "name", exception=BadValueError)
                if not id_or_name.isascii():
                    try:
                        id_or_name.encode("utf-8")
                    except UnicodeEncodeError as error:  # legacy: the protobuf's UnicodeEncodeError
                        raise KeyNameEncodeError(*error.args) from error
            elif isinstance(id_or_name, bool):
                raise KeyIdTypeError("Field storage_onestore_v3_bytes.Path.Element.id: expected an integer id as "
                                     "argument %d, not a bool (%r)" % (index + 2, id_or_name))
            elif not isinstance(id_or_name, int):
                raise BadArgumentError("Expected an integer id or string name as argument %d; received %r (a %s)."
                                       % (index + 2, id_or_name, type(id_or_name).__name__))
            elif not -2 ** 63 <= id_or_name < 2 ** 63:
                raise KeyIdRangeError("Value out of range: %d (key ids are 64-bit signed integers)" % id_or_name)
            path.extend((kind, id_or_name))
        ds_key = _DsKey(*path, project=project, namespace=namespace or None)
        return Key._from_ds(ds_key, partition)

    @classmethod
    def from_ndb(cls, ndb_key: _NdbKey) -> Key:
        """The ``db.Key`` for a ``google.cloud.ndb.Key`` (lossless)."""
        return cls._from_ds(_rpc.ds_key_of(ndb_key))

    def to_ndb(self) -> _NdbKey:
        """This key as a ``google.cloud.ndb.Key`` (lossless; same urlsafe string)."""
        return _rpc.ndb_key(self._ds)

    # -- accessors -------------------------------------------------------------------

    def app(self) -> Optional[str]:
        """The app id with its partition prefix, e.g. ``'s~my-app'`` (as production legacy gave)."""
        if self._ds is None:
            return None
        return (self._partition if self._partition is not None else settings.partition) + self._ds.project

    def namespace(self) -> str:
        """The namespace, ``''`` for the default one."""
        if self._ds is None:
            return ""
        return self._ds.namespace or ""

    def kind(self) -> Optional[str]:
        """The kind of the last path element."""
        return None if self._ds is None else ds_kind(self._ds)

    def id(self) -> Optional[int]:
        """The numeric id, or None if the key has a name (or nothing; an id of 0 means none, as in legacy).

        A key string whose last element carries both an id and a name (legacy
        accepted one) gives that id here and its name from ``name()``.
        """
        if self._both_id is not None:
            return self._both_id
        ident = None if self._ds is None else ds_id_or_name(self._ds)
        return ident if isinstance(ident, int) and ident else None

    def name(self) -> Optional[str]:
        """The key name, or None if the key has a numeric id (or nothing)."""
        ident = None if self._ds is None else ds_id_or_name(self._ds)
        return ident if isinstance(ident, str) and ident else None

    def id_or_name(self) -> Union[int, str, None]:
        """The numeric id or the name, whichever the key has, or None."""
        ident = None if self._ds is None else ds_id_or_name(self._ds)
        return ident if ident else None

    def has_id_or_name(self) -> bool:
        """True when the key is complete (an id of 0, as ``from_path(kind, 0)`` builds, is no id)."""
        ds = self._ds
        return ds is not None and len(ds.flat_path) % 2 == 0 and bool(ds.flat_path[-1])

    def parent(self) -> Optional[Key]:
        """The parent key, or None for a root entity."""
        if self._ds is None:
            return None
        parent = self._ds.parent
        return None if parent is None else Key._from_ds(parent, self._partition)

    def entity_group(self) -> Optional[Key]:
        """The key of the root entity of this key's entity group."""
        if self._ds is None:
            return None
        root = _DsKey(*self._ds.flat_path[:2], project=self._ds.project, namespace=self._ds.namespace)
        return Key._from_ds(root, self._partition)

    def to_path(self) -> list[Union[str, int]]:
        """The flat path ``[kind, id_or_name, kind, id_or_name, ...]``."""
        if self._ds is None:
            return []
        if len(self._ds.flat_path) % 2:
            raise BadKeyError("Incomplete key found in to_path")
        return list(self._ds.flat_path)

    # -- string forms ----------------------------------------------------------------

    def __str__(self) -> str:
        if self._str is None:
            if not self.has_id_or_name():
                raise BadKeyError("Cannot string encode an incomplete key!\n%r" % (self,))
            assert self._ds is not None  # a complete key has one
            partition = self._partition if self._partition is not None else settings.partition
            self._str = self._ds.to_legacy_urlsafe(partition).decode("ascii")
        return self._str

    def urlsafe(self) -> str:
        """Same as ``str(key)``."""
        return str(self)

    def __repr__(self) -> str:
        if self._ds is None:
            return "datastore_types.Key.from_path(_app=None)"
        args = [repr(part) for part in self._ds.flat_path]
        args.append("_app=%r" % self.app())
        if self._ds.namespace:
            args.append("namespace=%r" % self._ds.namespace)
        return "datastore_types.Key.from_path(%s)" % ", ".join(args)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        if self._ds is None:
            return (Key, ())  # db.Key(): legacy pickled it too
        return (_restore_key, (self._ds.project, self._ds.namespace, tuple(self._ds.flat_path), self._partition))

    # -- comparison ------------------------------------------------------------------

    def _order(self) -> tuple[Any, ...]:
        ds = self._ds
        if ds is None:
            return ("", "", ())
        path = []
        flat = ds.flat_path
        for index in range(0, len(flat), 2):
            ident = flat[index + 1] if index + 1 < len(flat) else None
            if ident is None:
                ident_key = (0, 0)
            elif isinstance(ident, int):
                ident_key = (0, ident)
            else:
                ident_key = (1, ident)
            path.append((flat[index], ident_key))
        return (ds.project, ds.namespace or "", tuple(path))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Key):
            return NotImplemented
        if self._ds is None or other._ds is None:
            return self._ds is other._ds
        return self._ds == other._ds

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __lt__(self, other: Key) -> bool:
        if not isinstance(other, Key):
            return NotImplemented
        return self._order() < other._order()

    def __le__(self, other: Key) -> bool:
        if not isinstance(other, Key):
            return NotImplemented
        return self._order() <= other._order()

    def __gt__(self, other: Key) -> bool:
        if not isinstance(other, Key):
            return NotImplemented
        return self._order() > other._order()

    def __ge__(self, other: Key) -> bool:
        if not isinstance(other, Key):
            return NotImplemented
        return self._order() >= other._order()

    def __hash__(self) -> int:
        if self._ds is None:
            return 0
        return hash((self._ds.project, self._ds.namespace or "", self._ds.flat_path))


def check_rpc_key(key: Key) -> None:
    """Raise BadRequestError for a key the datastore refuses whatever the call (as legacy's backend did).

    A key string whose last element carries both an id and a name decodes
    (legacy accepted it), but every get, put or delete of it is refused.
    """
    if key._both_id is not None:
        raise BadRequestError("Key %r has both an id (%d) and a name (%r) in its last element; the datastore "
                              "accepts neither" % (key, key._both_id, key.name()))


def check_entity_key(ds_key: _DsKey) -> None:
    """Legacy's checks of the key of an entity being put (``datastore.Entity``), before any RPC.

    The parent must be complete (BadKeyError), the kind a non-empty string
    of at most 1500 bytes (BadArgumentError), a name at most 1500 bytes and
    an id not negative (BadValueError).
    """
    flat = ds_key.flat_path
    complete = len(flat) % 2 == 0
    ancestors = flat[:-2] if complete else flat[:-1]
    if not all(ancestors[1::2]):
        parent = Key._from_ds(_DsKey(*ancestors, project=ds_key.project, namespace=ds_key.namespace))
        raise BadKeyError("Key %r is not complete." % (parent,))
    kind = flat[-2] if complete else flat[-1]
    validate_string(kind, "kind", exception=BadArgumentError)
    if complete:
        ident = flat[-1]
        if isinstance(ident, str):
            validate_string(ident, "name")
        elif ident < 0:
            raise BadValueError("id must not be negative.")


class Keyed(Protocol):
    """A model instance where legacy took "a key or an entity": ``key()`` gives its db.Key, ``has_key()`` tells
    whether it has a complete one."""

    def key(self) -> Key: ...

    def has_key(self) -> Any: ...


#: A key argument as legacy took it: a ``db.Key`` or the string ``str(key)`` gave (a
#: ``google.cloud.ndb.Key`` is accepted too, a compat extension: google-cloud-ndb is untyped).
KeyLike = Union[Key, str]
#: A key argument that may also be a model instance (``db.delete``, ``parent=``, references).
KeyOrEntity = Union[Key, str, Keyed]


class KeyNameEncodeError(BadValueError, UnicodeEncodeError):
    """A key name holding a lone surrogate, which UTF-8 cannot encode (legacy: UnicodeEncodeError)."""


class KeyIdTypeError(BadArgumentError, TypeError):
    """A bool given as a key id (legacy: the protobuf's TypeError)."""


class KeyIdRangeError(BadArgumentError, ValueError):
    """A key id outside the 64-bit signed range (legacy: the protobuf's ValueError "Value out of range")."""


def _restore_key(project: str, namespace: Optional[str], flat_path: tuple[Union[str, int], ...],
                 partition: Optional[str]) -> Key:
    return Key._from_ds(_DsKey(*flat_path, project=project, namespace=namespace), partition)


def is_ndb_key(value: object) -> bool:
    """True for a ``google.cloud.ndb.Key`` (compat accepts one wherever legacy took a ``db.Key``)."""
    return isinstance(value, _NdbKey)


def coerce_key(value: Optional[KeyOrEntity], argument: str = "key") -> Optional[Key]:
    """A ``db.Key`` from a Key, an ``ndb.Key``, an encoded string, or a model instance.

    Raises BadArgumentError for anything else (legacy ``_coerce_to_key``).
    """
    if value is None or isinstance(value, Key):
        return value
    if isinstance(value, (str, bytes)):
        return Key(value)
    key_method = getattr(value, "key", None)
    if callable(key_method) and hasattr(type(value), "properties"):
        return key_method()
    if is_ndb_key(value):
        return Key.from_ndb(value)
    raise BadArgumentError("Expected a Key, a model instance or an encoded key string for %s; received %r (a %s)."
                           % (argument, value, type(value).__name__))
