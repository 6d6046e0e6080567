"""The legacy ``google.appengine.api.users`` value type, without a login service.

``User`` stores and loads exactly as legacy did (an embedded entity with
meaning 20 holding ``email``, ``auth_domain`` and, when known, ``user_id``).
There is no App Engine login service off App Engine: ``get_current_user()``
reads the request environment legacy used (``USER_EMAIL``, ``USER_ID``,
``AUTH_DOMAIN``), so a middleware of yours that authenticates requests can set
them; with nothing set it returns None. ``create_login_url`` and
``create_logout_url`` raise NotImplementedError naming the replacement.
"""

from __future__ import annotations

import os
from typing import NoReturn, Optional

DEFAULT_AUTH_DOMAIN = "gmail.com"


class Error(Exception):
    """Base users error type."""


class UserNotFoundError(Error):
    """No e-mail address was given and no user is logged in."""


class RedirectTooLongError(Error):
    """The generated redirect URL was too long."""


class NotAllowedError(Error):
    """The requested redirect URL is not allowed."""


def _auth_domain_default() -> str:
    return os.environ.get("AUTH_DOMAIN") or DEFAULT_AUTH_DOMAIN


class User:
    """A Google Accounts user: e-mail, auth domain and an optional permanent user id."""

    __slots__ = ("_email", "_auth_domain", "_user_id", "_federated_identity", "_federated_provider")

    def __init__(self, email: Optional[str] = None, _auth_domain: Optional[str] = None,
                 _user_id: Optional[str] = None, federated_identity: Optional[str] = None,
                 federated_provider: Optional[str] = None, _strict_mode: bool = True) -> None:
        if _auth_domain is None:
            _auth_domain = _auth_domain_default()
        if email is None and federated_identity is None:
            email = os.environ.get("USER_EMAIL") or None
            _user_id = os.environ.get("USER_ID", _user_id)
            federated_identity = os.environ.get("FEDERATED_IDENTITY", federated_identity)
            federated_provider = os.environ.get("FEDERATED_PROVIDER", federated_provider)
        if email is None:
            email = ""
        if not isinstance(email, str):
            raise TypeError("User e-mail must be a string, not %s" % type(email).__name__)
        if not email and not federated_identity and _strict_mode:
            raise UserNotFoundError("No e-mail address given and no user is logged in")
        self._email = email
        self._auth_domain = _auth_domain
        self._user_id = _user_id or None
        self._federated_identity = federated_identity
        self._federated_provider = federated_provider

    def nickname(self) -> str:
        """The e-mail without ``@auth_domain`` when it ends with it, else the e-mail."""
        if self._email and self._auth_domain and self._email.endswith("@" + self._auth_domain):
            return self._email[: -(len(self._auth_domain) + 1)]
        if self._federated_identity:
            return self._federated_identity
        return self._email

    def email(self) -> str:
        """The user's e-mail address."""
        return self._email

    def user_id(self) -> Optional[str]:
        """The permanent user id, or None when the e-mail was given explicitly."""
        return self._user_id

    def auth_domain(self) -> str:
        """The authentication domain (``gmail.com`` unless AUTH_DOMAIN says otherwise)."""
        return self._auth_domain

    def federated_identity(self) -> Optional[str]:
        """Decommissioned in legacy; kept for stored values."""
        return self._federated_identity

    def federated_provider(self) -> Optional[str]:
        """Decommissioned in legacy; kept for stored values."""
        return self._federated_provider

    def _identity(self) -> tuple[Optional[str], str]:
        if self._federated_identity:
            return (self._federated_identity, self._auth_domain)
        return (self._email, self._auth_domain)

    def __str__(self) -> str:
        return str(self.nickname())

    def __repr__(self) -> str:
        values = []
        if self._email:
            values.append("email='%s'" % self._email)
        if self._federated_identity:
            values.append("federated_identity='%s'" % self._federated_identity)
        if self._user_id:
            values.append("_user_id='%s'" % self._user_id)
        return "users.User(%s)" % ",".join(values)

    def __hash__(self) -> int:
        return hash(self._identity())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, User):
            return NotImplemented
        return self._identity() == other._identity()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __lt__(self, other: User) -> bool:
        if not isinstance(other, User):
            return NotImplemented
        return self._identity() < other._identity()


def get_current_user() -> Optional[User]:
    """The user of the current request (from USER_EMAIL / USER_ID), or None."""
    try:
        return User()
    except UserNotFoundError:
        return None


def is_current_user_admin() -> bool:
    """True when the request environment says the user is an admin (USER_IS_ADMIN=1)."""
    return os.environ.get("USER_IS_ADMIN", "0") == "1"


def create_login_url(dest_url: Optional[str] = None, _auth_domain: Optional[str] = None,
                     federated_identity: Optional[str] = None) -> NoReturn:
    """Not available off App Engine: use your identity provider (e.g. Identity-Aware Proxy)."""
    raise NotImplementedError(
        "users.create_login_url needs the App Engine Users service, which does not exist off "
        "App Engine; use Identity-Aware Proxy or your own sign-in flow and set USER_EMAIL."
    )


def create_logout_url(dest_url: str, _auth_domain: Optional[str] = None) -> NoReturn:
    """Not available off App Engine: use your identity provider."""
    raise NotImplementedError(
        "users.create_logout_url needs the App Engine Users service, which does not exist off App Engine."
    )


GetCurrentUser = get_current_user
IsCurrentUserAdmin = is_current_user_admin
CreateLoginURL = create_login_url
CreateLogoutURL = create_logout_url
