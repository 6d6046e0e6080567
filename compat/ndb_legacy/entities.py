"""Legacy ``db`` functions on entities that ndb spells otherwise: ``db.to_dict``, ``get_or_insert`` in a transaction."""

from __future__ import annotations

import datetime
from typing import Any, Optional

from google.cloud import ndb
from google.cloud.datastore import key as ds_key
from google.cloud.ndb import exceptions

from compat.ndb_legacy import _ndb
from compat.ndb_legacy.properties import naive_utc


def to_dict(entity: ndb.Model, dictionary: Optional[dict] = None) -> dict:
    """``db.to_dict(entity[, dictionary])``: the values legacy would store, by stored name.

    A date is the datetime it is stored as, a reference its key, a datetime
    naive UTC; an empty list is left out (legacy stored none). ndb's
    ``entity.to_dict()`` gives the Python values instead (a ``date``, ``[]``).
    """
    out = {} if dictionary is None else dictionary
    for name, value in _ndb.stored_values(entity).items():
        out[name] = _legacy_value(value)
    return out


def _legacy_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_legacy_value(item) for item in value]
    if isinstance(value, ds_key.Key):
        return _ndb.ndb_key(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return naive_utc(value)
    return value


def get_or_insert(model: type[ndb.Model], key_name: str, **kwargs: Any) -> ndb.Model:
    """``Model.get_or_insert(key_name, ...)`` where db ran it inside a transaction.

    db's get_or_insert ran a transaction of its own, so inside another one it
    raised ``BadRequestError('Nested transactions are not supported.')`` and
    nothing was written; ndb's ``Model.get_or_insert`` joins the enclosing
    transaction instead. Outside a transaction this is ``Model.get_or_insert``.
    """
    if ndb.in_transaction():
        raise exceptions.BadRequestError("Nested transactions are not supported.")
    return model.get_or_insert(key_name, **kwargs)
