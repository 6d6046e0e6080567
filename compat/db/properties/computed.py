"""ComputedProperty: a stored value derived from the instance, which cannot be assigned."""

from compat.db.errors import DerivedPropertyError
from compat.db.properties.base import Property


class ComputedProperty(Property):
    """A value computed by ``value_function(instance)`` on every read and stored on put.

    Usable as a decorator. Assigning raises DerivedPropertyError (ignored when
    loading an entity, as legacy did).
    """

    def __init__(self, value_function, indexed=True):
        super().__init__(indexed=indexed)
        self.__value_function = value_function

    def __set__(self, *args):
        raise DerivedPropertyError("Computed property %s cannot be set." % self.name)

    def __get__(self, model_instance, model_class):
        if model_instance is None:
            return self
        return self.__value_function(model_instance)
