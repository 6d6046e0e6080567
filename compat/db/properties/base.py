"""``db.Property``: the descriptor every legacy property type derives from.

Reproduces legacy semantics: the first positional argument is
``verbose_name``; ``name=`` is the stored name (constructor keywords, filters
and GQL use it); values are validated on assignment (``required`` fails in the
constructor, not at put time); ``validator(value)`` raises to reject; the
value lives on the instance as ``_<name>``.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from compat.db.errors import BadValueError, ConfigurationError

AUTO_UPDATE_UNCHANGED = object()


class Property:
    """An attribute of a Model, stored in the datastore.

    Args:
        verbose_name: user-friendly name (legacy's first positional argument).
        name: the stored name; defaults to the attribute name.
        default: value for instances that do not set one.
        required: reject empty values (in the constructor and on assignment).
        validator: ``f(value)`` that raises to reject a value.
        choices: the allowed values.
        indexed: whether the value is indexed.
    """

    creation_counter = 0
    data_type: type = str
    _write_empty_list = False

    def __init__(self, verbose_name: Optional[str] = None, name: Optional[str] = None, default: Any = None,
                 required: bool = False, validator: Optional[Callable[[Any], Any]] = None,
                 choices: Optional[Iterable[Any]] = None, indexed: bool = True) -> None:
        self.verbose_name = verbose_name
        self.name = name
        self.default = default
        self.required = required
        self.validator = validator
        self.choices = choices
        self.indexed = indexed
        self.model_class: Optional[type] = None
        self._attr: Optional[str] = None if name is None else "_" + name
        self.creation_counter = Property.creation_counter
        Property.creation_counter += 1

    def __property_config__(self, model_class: type, property_name: str) -> None:
        """Connect the property to its model class and attribute name."""
        self.model_class = model_class
        if self.name is None:
            self.name = property_name
        self._attr = "_" + self.name

    def __get__(self, model_instance: Any, model_class: Any) -> Any:
        if model_instance is None:
            return self
        return model_instance.__dict__.get(self._attr)

    def __set__(self, model_instance: Any, value: Any) -> None:
        model_instance.__dict__[self._attr] = self.validate(value)

    def default_value(self) -> Any:
        """The value for an instance that does not set one."""
        return self.default

    def validate(self, value: Any) -> Any:
        """Check ``value`` (required, choices, validator) and return it, possibly adapted.

        Raises:
            BadValueError: the value is not acceptable for this property.
        """
        if self.empty(value):
            if self.required:
                raise BadValueError("Property %s is required" % self.name)
        elif self.choices and value not in self.choices:
            raise BadValueError("Property %s is %r; must be one of %r" % (self.name, value, self.choices))
        if self.validator is not None:
            self.validator(value)
        return value

    def empty(self, value: Any) -> bool:
        """Whether ``value`` counts as empty for ``required`` (``not value`` by default)."""
        return not value

    def get_value_for_datastore(self, model_instance: Any) -> Any:
        """The value to store for this property (e.g. a Key for a reference)."""
        return self.__get__(model_instance, model_instance.__class__)

    def get_updated_value_for_datastore(self, model_instance: Any) -> Any:
        """The new value of an auto-updated property at put time, or ``AUTO_UPDATE_UNCHANGED``."""
        return AUTO_UPDATE_UNCHANGED

    def make_value_from_datastore(self, value: Any) -> Any:
        """The instance value for a stored value (the inverse of ``get_value_for_datastore``)."""
        return value

    def make_value_from_datastore_index_value(self, index_value: Any) -> Any:
        """The instance value for a projection (index) value."""
        return self.make_value_from_datastore(index_value)

    def datastore_type(self) -> type:
        """Deprecated alias of ``data_type``."""
        return self.data_type

    def _require_parameter(self, kwds: dict[str, Any], parameter: str, value: Any) -> None:
        if parameter in kwds and kwds[parameter] != value:
            raise ConfigurationError("%s must be %s." % (parameter, value))
        kwds[parameter] = value

    def _attr_name(self) -> Optional[str]:
        """The instance attribute holding the value (``'_' + name``)."""
        return self._attr

    # -- compat hooks (not legacy API) -------------------------------------------------

    def _check_type(self, value: Any) -> Any:
        """Type-check (and coerce) a non-empty value; raise BadValueError. Subclasses refine it."""
        return value

    def _filter_value(self, value: Any) -> Any:
        """A query filter operand converted the way this property stores values.

        Legacy only turned model instances into keys and dates/times into
        datetimes; compat also type-checks the operand (BadValueError before any
        RPC). ``required``, ``choices`` and ``validator`` do not apply to filters.
        """
        if value is None:
            return None
        value = self._check_type(value)
        return self._to_stored_form(value)

    def _to_stored_form(self, value: Any) -> Any:
        """The stored (legacy) form of an instance value, as ``get_value_for_datastore`` gives it."""
        return value

    def __repr__(self) -> str:
        return "%s(name=%r)" % (type(self).__name__, self.name)
