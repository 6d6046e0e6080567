"""``db.ReferenceProperty`` reads where legacy's exception is caught: the entity, or ReferencePropertyResolveError."""

from __future__ import annotations

from typing import Optional

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
