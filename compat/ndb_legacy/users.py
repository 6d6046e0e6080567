"""Legacy ndb's ``UserProperty(auto_current_user=, auto_current_user_add=)`` on google-cloud-ndb.

google-cloud-ndb raises ``NoLongerImplementedError`` for both keywords, so
a legacy ndb model declaring them (rietveld: ``owner =
AnyAuthUserProperty(auto_current_user_add=True)``) cannot even be defined.
Legacy ndb set the request's user when the entity was put: always with
``auto_current_user``, only when the property had no value with
``auto_current_user_add``, and nothing when nobody was signed in. The
request's user is what the legacy runtime exported: ``USER_EMAIL`` /
``USER_ID`` (``AUTH_DOMAIN``).
"""

from __future__ import annotations

import os
from typing import Any, Optional

from google.cloud import ndb

from compat.ndb_legacy.values import User


class UserProperty(ndb.UserProperty):
    """``ndb.UserProperty`` with legacy ndb's ``auto_current_user`` / ``auto_current_user_add``.

    Subclasses that read ``self._auto_current_user(_add)`` in their own
    ``_prepare_for_put`` (as rietveld's does) keep working.
    """

    _auto_current_user = False
    _auto_current_user_add = False

    def __init__(self, name: Optional[str] = None, auto_current_user: bool = False,
                 auto_current_user_add: bool = False, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        if auto_current_user:
            self._auto_current_user = True
        if auto_current_user_add:
            self._auto_current_user_add = True

    def _prepare_for_put(self, entity: ndb.Model) -> None:
        """Store the signed-in user (legacy ndb's ``UserProperty._prepare_for_put``)."""
        if self._auto_current_user or (self._auto_current_user_add and not self._has_value(entity)):
            value = current_user()
            if value is not None:
                self._store_value(entity, value)


def current_user() -> Optional[User]:
    """The signed-in user as the legacy runtime exported it (``USER_EMAIL``), or None (legacy ``get_current_user``)."""
    if not os.environ.get("USER_EMAIL"):
        return None
    return User()
