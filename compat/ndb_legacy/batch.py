"""db's one-or-many batch functions (``db.get`` / ``db.put`` / ``db.delete``) where the argument's shape is unknown."""

from __future__ import annotations

from typing import Any, Optional, Union

from google.cloud import ndb
from google.cloud.ndb import exceptions


class NotSavedError(exceptions.Error):
    """``db.NotSavedError``: an entity that was never put has no key to get or delete."""


#: A key argument as db took it: an ndb.Key, an entity, or the string ``str(key)`` gave.
KeyOrEntity = Union[ndb.Key, ndb.Model, str, bytes]


def _as_key(item: KeyOrEntity) -> ndb.Key:
    if isinstance(item, ndb.Key):
        return item
    if isinstance(item, ndb.Model):
        if item.key is None or not item.key.id():
            raise NotSavedError("Entity has no key: it was never put()")
        return item.key
    if isinstance(item, (str, bytes)):
        return ndb.Key(urlsafe=item)
    raise exceptions.BadArgumentError("Expected a Key, an entity or an encoded key; received %r" % (item,))


def get(keys: Union[KeyOrEntity, list[KeyOrEntity], tuple[KeyOrEntity, ...]], model: Optional[type[ndb.Model]] = None) -> Any:
    """``db.get(keys)``: one key (or entity, or encoded key string) gives one entity or None, a list a list.

    With ``model`` it is ``Model.get(keys)``: a key of another kind raises
    ``KindError`` before anything is read, as legacy's check did.
    """
    many = isinstance(keys, (list, tuple))
    found = [_as_key(k) for k in (keys if many else [keys])]
    if model is not None:
        for key in found:
            if key.kind() != model._get_kind():
                raise ndb.KindError("Kind %r is not a subclass of kind %r" % (key.kind(), model._get_kind()))
    return ndb.get_multi(found) if many else found[0].get()


def put(models: Union[ndb.Model, list[ndb.Model], tuple[ndb.Model, ...]]) -> Union[ndb.Key, list[ndb.Key]]:
    """``db.put(models)``: one entity gives its key, a list of entities a list of keys."""
    if isinstance(models, (list, tuple)):
        return ndb.put_multi(list(models))
    return models.put()


def delete(models: Union[KeyOrEntity, list[KeyOrEntity], tuple[KeyOrEntity, ...]]) -> None:
    """``db.delete(models)``: entities, keys or encoded key strings, one or a list."""
    if isinstance(models, (list, tuple)):
        ndb.delete_multi([_as_key(m) for m in models])
    else:
        _as_key(models).delete()


def key_of(entity: ndb.Model) -> ndb.Key:
    """``entity.key()``: the entity's complete key; ``NotSavedError`` for an entity that has none, as in db.

    ndb's ``entity.key`` is None there, and a query's ``ancestor=None``
    means no ancestor at all: ``Post.query(ancestor=blog.key)`` of a blog
    never put would read every Post where db raised.
    """
    key = entity.key
    if key is None or not key.id():
        raise NotSavedError("Entity has no complete key: it was never put()")
    return key
