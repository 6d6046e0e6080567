"""Turning raw query results into what legacy returned: model instances or ``db.Key`` objects.

* keys-only queries give ``db.Key`` objects;
* a query of a model class gives instances built by that class's
  ``from_entity`` (PolyModel dispatches to the stored subclass);
* a kindless query looks each entity's class up by kind, and skips entities
  of reserved ``__kinds__`` (statistics ...) that have no model, as legacy did;
* projection results are instances that know their projection (only the
  projected properties are set; putting them raises, as in legacy).
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

from compat.db import _mapper, _protobuf, _rpc
from compat.db._kinds import class_for_kind
from compat.db.errors import KindError
from compat.db.keys import Key

SKIP = object()


def converter(model_class: Any, keys_only: bool, projection: Optional[Sequence[str]]) -> Callable[[Any], Any]:
    """A function ``result_pb -> value`` (or :data:`SKIP`) for one query's results."""
    if keys_only:
        return _to_key
    if model_class is not None:
        if projection:
            names = tuple(projection)

            def projected(result: Any) -> Any:
                entity = _rpc.entity_from_pb(result.entity)
                entity._compat_projection = names
                return model_class.from_entity(entity)

            return projected

        def instance(result: Any) -> Any:
            return _mapper.from_pb(model_class, result.entity)

        return instance

    def kindless(result: Any) -> Any:
        entity = _rpc.entity_from_pb(result.entity)
        kind = entity.key.kind
        try:
            cls: Any = class_for_kind(kind)  # a model class
        except KindError:
            if kind.startswith("__") and kind.endswith("__"):
                return SKIP
            raise
        if projection:
            entity._compat_projection = tuple(projection)
        return cls.from_entity(entity)

    return kindless


def _to_key(result: Any) -> Key:
    return Key._from_ds(_protobuf.key_from_pb(result.entity.key))
