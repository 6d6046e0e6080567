"""``db.ReferenceProperty`` reads where legacy's exception is caught: the entity, or ReferencePropertyResolveError."""

from __future__ import annotations

from typing import Any, Optional, Union

from google.cloud import ndb
from google.cloud.ndb import exceptions


class ReferencePropertyResolveError(exceptions.Error):
    """``db.ReferencePropertyResolveError``: the entity a reference points to does not exist."""


def resolve(key: Optional[ndb.Key]) -> Optional[ndb.Model]:
    """A ReferenceProperty's value as legacy read it: the referenced entity (None for an unset reference).

    Legacy dereferenced on attribute access and raised
    ReferencePropertyResolveError when the entity was gone, where ndb's
    ``key.get()`` returns None. Converted code uses this where it catches
    that error.
    """
    if key is None:
        return None
    entity = key.get()
    if entity is None:
        raise ReferencePropertyResolveError("ReferenceProperty failed to be resolved: %r" % (key.flat(),))
    return entity


class ReferenceProperty(ndb.KeyProperty):
    """``db.ReferenceProperty`` / ``SelfReferenceProperty``: a KeyProperty with legacy's assignment rules.

    ``kind`` is the referenced model class (or its kind name). Legacy took a
    key of any kind (ndb's ``KeyProperty(kind=...)`` refuses one of another
    kind) and an entity, stored as its key: an entity without a complete
    key raised BadValueError, one of another class KindError. Any other
    value raised AttributeError (legacy called ``value.has_key()``), where
    ndb raises BadValueError. The stored value is a key, as ndb's.
    """

    def __init__(self, name: Optional[str] = None, kind: Union[str, type[ndb.Model], None] = None,
                 **kwargs: Any) -> None:
        super().__init__(name, **kwargs)  # no kind for ndb: a key of any kind is taken, as legacy took it
        self._reference = kind

    def _validate(self, value: Any) -> None:
        if isinstance(value, ndb.Key):
            return None
        if not isinstance(value, ndb.Model):
            raise AttributeError("'%s' object has no attribute 'has_key'" % type(value).__name__)
        key = value.key
        if key is None or key.id() is None:
            raise exceptions.BadValueError(
                "%s instance must have a complete key before it can be stored as a reference" % type(value).__name__)
        reference = self._reference
        if isinstance(reference, type) and not isinstance(value, reference) or (
                isinstance(reference, str) and value._get_kind() != reference):
            name = reference.__name__ if isinstance(reference, type) else reference
            raise ndb.KindError("Property %s must be an instance of %s" % (self._name, name))
        return key
