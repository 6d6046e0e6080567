"""ndb_legacy's one door to google-cloud-ndb internals (as compat/db/_rpc.py is the shim's).

Legacy GQL is read with ndb's own port of legacy's parser, values read back
from Datastore arrive wrapped in ndb's ``_BaseValue``, and dynamic Expando
keys arrive as google-cloud-datastore keys; a PolyModel's ``class`` list is
ndb's private ``_ClassKeyProperty``; ``expando.Expando`` overrides
``Model._code_name_from_stored_name`` (the load's per-name hook) to read null
dynamic values back. tests/compat/test_ndb_internals.py
holds a contract for each name, on the newest and the oldest google-cloud-ndb.
"""

from __future__ import annotations

from typing import Any

from google.cloud.ndb import _datastore_query, _gql
from google.cloud.ndb import key as _ndb_key
from google.cloud.ndb import model as _ndb_model
from google.cloud.ndb import polymodel as _ndb_polymodel

#: ndb's GQL parser (a port of legacy's): ``GQL(text)``, ``filters()``, ``orderings()``, ``kind()`` ...
GQL = _gql.GQL
#: the ``ANCESTOR IS`` filter's name in ``GQL.filters()``
ANCESTOR = _gql.GQL._ANCESTOR
#: the direction of a descending ``ORDER BY`` in ``GQL.orderings()``
DESCENDING = _datastore_query.DOWN
#: GQL functions (``DATETIME(...)``, ``KEY(...)``, ``GEOPT(...)`` ...) by lower-case name
GQL_FUNCTIONS = _gql.FUNCTIONS
#: the wrapper of a value read from Datastore (its ``b_val``), before a property converts it
BaseValue = _ndb_model._BaseValue
#: PolyModel's ``class`` property (``class_``): the class list, read-only, computed in ``_get_value``
ClassKeyProperty = _ndb_polymodel._ClassKeyProperty


def ndb_key(ds_key: Any) -> _ndb_key.Key:
    """The ndb key of a google-cloud-datastore key."""
    return _ndb_key.Key._from_ds_key(ds_key)


def stored_values(entity: Any) -> dict:
    """What ndb would store for ``entity``: the datastore entity's values by stored name (no key)."""
    return dict(_ndb_model._entity_to_ds_entity(entity, set_key=False))
