"""Legacy ``db.Key`` behaviours ndb keys lack: ordering, and the checks of ``Key.from_path`` and the model getters."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from google.cloud import ndb
from google.cloud.ndb import exceptions

_TYPE_ORDER = {int: 0, str: 1}


def key_order(key: ndb.Key) -> tuple:
    """A sort key giving legacy ``db.Key`` ordering: path element by element, kind, then id before name.

    ``sorted(keys, key=key_order)``; ndb keys compare their pairs as tuples,
    so an integer id next to a string name raises TypeError.
    """
    out = []
    for kind, ident in key.pairs():
        out.append((kind, _TYPE_ORDER.get(type(ident), 2), ident if ident is not None else 0))
    return (key.app() or "", key.namespace() or "", tuple(out))


#: the range of a 64-bit signed integer id (legacy's protocol buffer refused anything outside it)
_ID_MIN, _ID_MAX = -(2 ** 63), 2 ** 63 - 1
#: legacy's limit on a key name, in UTF-8 bytes
_MAX_NAME_BYTES = 1500


class BadKeyError(exceptions.Error, ValueError):
    """``db.BadKeyError``: a key legacy refused before any RPC (an incomplete key given to a getter).

    A ``ValueError`` too, so converted ``except db.BadKeyError`` clauses (rule
    DB015: ``ValueError``) catch it.
    """


def key_from_path(*path: Union[str, int], parent: Union[ndb.Key, ndb.Model, None] = None,
                  namespace: Optional[str] = None, **kwargs: Any) -> ndb.Key:
    """``db.Key.from_path(kind, id_or_name, ..., parent=, namespace=, _app=)``, with legacy's checks.

    ndb.Key takes what legacy refused and fails later (at the RPC, or when
    the key is encoded): an id beyond 64 bits is a ``ValueError``, an empty
    or over-long name ``BadValueError``, a kind or id of another type, an odd
    path or unknown keywords ``BadArgumentError``, an incomplete parent
    ``BadKeyError``. ``True``/``False`` ids are the integers 1/0, as legacy
    stored them. An entity as ``parent`` stands for its key.
    """
    app = kwargs.pop("_app", None)
    if kwargs:
        raise exceptions.BadArgumentError("Excess keyword arguments %r" % (kwargs,))
    if not path or len(path) % 2:
        raise exceptions.BadArgumentError(
            "A non-zero even number of positional arguments is required (kind, id or name, kind, id or name, "
            "...); received %r" % (path,))
    if isinstance(parent, ndb.Model):
        parent = parent.key
    if parent is not None:
        if not isinstance(parent, ndb.Key):
            raise exceptions.BadArgumentError("Expected None or a Key as parent; received %r (a %s)."
                                              % (parent, type(parent).__name__))
        if parent.id() is None:
            raise BadKeyError("The parent Key is incomplete.")
    pairs: list[Any] = []
    for index in range(0, len(path), 2):
        kind, ident = path[index], path[index + 1]
        if not isinstance(kind, str):
            raise exceptions.BadArgumentError("Expected a string kind as argument %d; received %r (a %s)."
                                              % (index + 1, kind, type(kind).__name__))
        pairs.extend((kind, _checked_id(ident, index + 2)))
    extra = {"app": app} if app is not None else {}
    return ndb.Key(*pairs, parent=parent, namespace=namespace, **extra)


def _checked_id(ident: Any, position: int) -> Union[int, str]:
    if isinstance(ident, bool):
        return int(ident)
    if isinstance(ident, int):
        if not _ID_MIN <= ident <= _ID_MAX:
            raise ValueError("Value out of range: %d" % ident)
        return ident
    if isinstance(ident, str):
        if not ident:
            raise exceptions.BadValueError("name must not be empty.")
        if len(ident.encode("utf-8")) > _MAX_NAME_BYTES:
            raise exceptions.BadValueError("name must be under %d bytes." % _MAX_NAME_BYTES)
        return ident
    raise exceptions.BadArgumentError("Expected an integer id or string name as argument %d; received %r (a %s)."
                                      % (position, ident, type(ident).__name__))


def get_by_id(model: type[ndb.Model], ids: Union[int, Sequence[int]], parent: Union[ndb.Key, ndb.Model, None] = None,
              **options: Any) -> Any:
    """``Model.get_by_id(ids, parent=)``: one int id or a list of them, with legacy's argument checks.

    ndb's ``get_by_id`` also takes a string (and reads the entity of that
    name) and sends id 0 to the server; legacy raised ``BadArgumentError``
    for a non-integer and ``BadKeyError`` for the incomplete key of id 0.
    """
    return _get_by(model, ids, (int,), parent, options)


def get_by_key_name(model: type[ndb.Model], names: Union[str, Sequence[str]],
                    parent: Union[ndb.Key, ndb.Model, None] = None, **options: Any) -> Any:
    """``Model.get_by_key_name(names, parent=)``: one name or a list of them, with legacy's argument checks.

    ndb's ``get_by_id`` also takes an integer (and reads the entity of that
    id) and sends an empty name to the server; legacy raised
    ``BadArgumentError`` for a non-string and ``BadValueError`` for ``''``.
    """
    return _get_by(model, names, (str,), parent, options)


def _get_by(model: type[ndb.Model], idents: Any, types: tuple[type, ...], parent: Any, options: dict[str, Any]) -> Any:
    if isinstance(idents, types):
        many, idents = False, [idents]
    elif isinstance(idents, (str, bytes)) or not hasattr(idents, "__iter__"):
        raise exceptions.BadArgumentError("Expected an instance or iterable of %s; received %r (a %s)."
                                          % (types, idents, type(idents).__name__))
    else:
        many, idents = True, list(idents)
        for ident in idents:
            if not isinstance(ident, types):
                raise exceptions.BadArgumentError("Expected one of %s; received %r (a %s)."
                                                  % (types, ident, type(ident).__name__))
    keys = [key_from_path(model._get_kind(), ident, parent=parent) for ident in idents]
    for key in keys:
        if not key.id():
            raise BadKeyError("Key %r is not complete." % (key,))
    return ndb.get_multi(keys, **options) if many else keys[0].get(**options)
