"""Legacy query behaviours: ``!=`` as two range filters, cursor strings."""

from __future__ import annotations

from typing import Any, Optional

from google.cloud import ndb


def not_equal(prop: ndb.Property, value: Any):
    """``prop != value`` as legacy ran it: ``prop < value OR prop > value`` (one query each, merged).

    ndb sends ``!=`` to the server as one NOT_EQUAL filter, which the
    Datastore emulator refuses and which means something else for list
    properties; legacy split it into two range queries.
    """
    return ndb.OR(prop < value, prop > value)


def cursor_string(cursor: Optional[ndb.Cursor]) -> Optional[str]:
    """The web-safe string of an ndb cursor (``q.cursor()`` of legacy), None when there is none."""
    return cursor.urlsafe().decode() if cursor else None
