"""UserProperty: a ``users.User`` stored as legacy stored it (embedded entity, meaning 20)."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from compat import users
from compat.db._values import entity_to_user
from compat.db.errors import BadValueError
from compat.db.properties.base import AUTO_UPDATE_UNCHANGED, Property


class UserProperty(Property):
    """A ``users.User``. No ``default`` (as in legacy); ``auto_current_user(_add)`` use the request's user.

    Off App Engine the "current user" is what ``compat.users.get_current_user()``
    finds in the environment (USER_EMAIL), usually None.
    """

    data_type = users.User

    def __init__(self, verbose_name: Optional[str] = None, name: Optional[str] = None, required: bool = False,
                 validator: Optional[Callable[[Any], Any]] = None, choices: Optional[Iterable[Any]] = None,
                 auto_current_user: bool = False, auto_current_user_add: bool = False, indexed: bool = True) -> None:
        super().__init__(verbose_name, name, required=required, validator=validator, choices=choices, indexed=indexed)
        self.auto_current_user = auto_current_user
        self.auto_current_user_add = auto_current_user_add

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        return self._check_type(value)

    def _check_type(self, value: Any) -> Any:
        if value is not None and not isinstance(value, users.User):
            raise BadValueError("Property %s must be a User" % self.name)
        return value

    def default_value(self) -> Any:
        if self.auto_current_user or self.auto_current_user_add:
            return users.get_current_user()
        return None

    def get_updated_value_for_datastore(self, model_instance: Any) -> Any:
        if self.auto_current_user:
            return users.get_current_user()
        return AUTO_UPDATE_UNCHANGED

    def make_value_from_datastore(self, value: Any) -> Any:
        if value is not None and not isinstance(value, users.User):
            if hasattr(value, "get"):
                return entity_to_user(value)
        return value
