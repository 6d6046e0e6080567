"""ComputedProperty: a stored value derived from the instance, which cannot be assigned."""

from __future__ import annotations

from typing import Any, Callable, NoReturn

from compat.db.errors import DerivedPropertyError
from compat.db.properties.base import Property


class ComputedProperty(Property):
    """A value computed by ``value_function(instance)`` on every read and stored on put.

    Usable as a decorator. Assigning raises DerivedPropertyError (ignored when
    loading an entity, as legacy did).
    """

    def __init__(self, value_function: Callable[[Any], Any], indexed: bool = True) -> None:
        super().__init__(indexed=indexed)
        self.__value_function = value_function

    def __set__(self, *args: Any) -> NoReturn:
        raise DerivedPropertyError("Computed property %s cannot be set." % self.name)

    def __get__(self, model_instance: Any, model_class: Any) -> Any:
        if model_instance is None:
            return self
        return self.__value_function(model_instance)
