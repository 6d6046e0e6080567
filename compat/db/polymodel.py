"""``db.polymodel.PolyModel``: class hierarchies stored in one kind, queried polymorphically.

Every class of a hierarchy is stored under the root class's kind with a
``class`` list property naming the hierarchy from the root down (the same
layout google-cloud-ndb's PolyModel uses). Loading maps the stored list back
to the right subclass; ``Sub.all()`` / ``Sub.gql()`` filter on it.

As in legacy, the stored names are the classes' ``__name__`` while lookups use
``class_key()`` (built from ``class_name()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, NoReturn, TypeVar

from google.cloud.datastore.entity import Entity as _DsEntity

from compat.db.errors import ConfigurationError, DerivedPropertyError, KindError
from compat.db.model import Model, PropertiedClass
from compat.db.properties.lists import ListProperty

if TYPE_CHECKING:  # only annotations name them (PolyModel.all / gql): not exported from here
    from compat.db.query.gql_query import GqlQuery
    from compat.db.query.query import Query

_class_map: dict = {}
_P = TypeVar("_P", bound="PolyModel")
_CLASS_KEY_PROPERTY = "class"


class _ClassKeyProperty(ListProperty):
    """The derived ``class`` property: the hierarchy's class names, root first."""

    def __init__(self, name: str) -> None:
        super().__init__(name=name, item_type=str, default=None)

    def __set__(self, *args: Any) -> NoReturn:
        raise DerivedPropertyError("Class-key is a derived property and cannot be set.")

    def __get__(self, model_instance: Any, model_class: Any) -> Any:
        if model_instance is None:
            return self
        return [cls.__name__ for cls in model_class.__class_hierarchy__]


class PolymorphicClass(PropertiedClass):
    """Metaclass of PolyModel: records the root class and the class hierarchy."""

    class_name: Callable[[], str]  # PolyModel's classmethods: every class made here has them
    class_key: Callable[[], tuple[str, ...]]

    def __init__(cls, name: str, bases: tuple[type, ...], dct: dict[str, Any], **kwargs: Any) -> None:
        if name == "PolyModel" and not any(isinstance(base, PolymorphicClass) for base in bases):
            super().__init__(name, bases, dct, map_kind=False)
            return
        if PolyModel in bases:
            if getattr(cls, "__class_hierarchy__", None):
                raise ConfigurationError("%s cannot derive from PolyModel as __class_hierarchy__ is already defined."
                                         % cls.__name__)
            cls.__class_hierarchy__ = [cls]
            cls.__root_class__ = cls
            super().__init__(name, bases, dct, **kwargs)
        else:
            super().__init__(name, bases, dct, map_kind=False)
            cls.__class_hierarchy__ = [c for c in reversed(cls.mro())
                                       if isinstance(c, PolymorphicClass) and issubclass(c, PolyModel)
                                       and c is not PolyModel]
            if cls.__class_hierarchy__[0] is not cls.__root_class__:
                raise ConfigurationError("%s cannot be derived from both root classes %s and %s"
                                         % (cls.__name__, cls.__class_hierarchy__[0].__name__,
                                            cls.__root_class__.__name__))
        _class_map[cls.class_key()] = cls


class PolyModel(Model, metaclass=PolymorphicClass):
    """Base of a polymorphic hierarchy: subclasses share the root's kind."""

    _class = _ClassKeyProperty(name=_CLASS_KEY_PROPERTY)

    def __new__(*args: Any, **kwds: Any) -> Any:
        if not args:  # ``Model.__new__(cls=Model)``: as legacy, ``cls`` is not a keyword here
            raise TypeError("object.__new__(): not enough arguments")
        cls = args[0]  # not a named parameter: a property may be called ``cls``
        if cls is PolyModel:
            raise NotImplementedError("PolyModel itself cannot be instantiated")
        return super(PolyModel, cls).__new__(cls)

    @classmethod
    def kind(cls) -> str:
        """The root class's kind, for every class of the hierarchy."""
        root = getattr(cls, "__root_class__", None)
        if root is None or cls is root:
            return cls.__name__
        return root.kind()

    @classmethod
    def class_key(cls) -> tuple[str, ...]:
        """The tuple of class names from the root down to this class."""
        if not hasattr(cls, "__class_hierarchy__"):
            raise NotImplementedError("Cannot determine class key without class hierarchy")
        return tuple(c.class_name() for c in cls.__class_hierarchy__)

    @classmethod
    def class_name(cls) -> str:
        """This class's name in class keys (override to rename a class without migrating data)."""
        return cls.__name__

    @classmethod
    def from_entity(cls: type[_P], entity: _DsEntity) -> _P:
        """An instance of the class named by the entity's ``class`` list."""
        stored = entity.get(_CLASS_KEY_PROPERTY)
        if stored is not None:
            key = tuple(stored) if isinstance(stored, list) else (stored,)
            if key != cls.class_key():
                try:
                    poly_class = _class_map[key]
                except KeyError:
                    raise KindError("No implementation for class '%s'" % (key,))
                # the classmethod of the class after PolyModel in poly_class's MRO, run for poly_class
                return super(PolyModel, poly_class).from_entity.__func__(  # type: ignore[attr-defined]
                    poly_class, entity)
        return super().from_entity(entity)

    @classmethod
    def all(cls, **kwds: Any) -> Query:
        """A query for this class and its subclasses."""
        query = super().all(**kwds)
        if cls is not cls.__root_class__:
            query.filter(_CLASS_KEY_PROPERTY + " =", cls.class_name())
        return query

    @classmethod
    def gql(cls, query_string: str, *args: Any, **kwds: Any) -> GqlQuery:
        """A GQL query for this class and its subclasses."""
        query = super().gql(query_string, *args, **kwds)
        if cls is not cls.__root_class__:
            query._add_class_filter(_CLASS_KEY_PROPERTY, cls.class_name())
        return query
