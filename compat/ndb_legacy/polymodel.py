"""``polymodel.PolyModel``'s stored class list when a class overrides ``class_name()``."""

from __future__ import annotations

from typing import Any

from compat.ndb_legacy import _ndb


class ClassNamesProperty(_ndb.ClassKeyProperty):
    """A PolyModel's ``class`` list as legacy stored it: each class's ``__name__``, whatever ``class_name()`` says.

    Legacy's ``class_key()`` (the queries' ``class`` filter, the lookup of a
    loaded entity's class) used ``class_name()``, but the list it wrote used
    the Python names. ndb writes ``_class_key()``. A class converted from
    one overriding ``class_name()`` declares ``class_ =
    ClassNamesProperty()`` so both apps write the same entities (and, as in
    legacy, an entity so written does not load through the renamed class:
    KindError).
    """

    def _get_value(self, entity: Any) -> Any:
        value = super(_ndb.ClassKeyProperty, self)._get_value(entity)
        if not value:
            value = [cls.__name__ for cls in entity._get_hierarchy()]
            self._store_value(entity, value)
        return value
