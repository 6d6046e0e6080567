"""Legacy ``db.Key`` behaviours ndb keys lack: ordering."""

from __future__ import annotations

from google.cloud import ndb

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
