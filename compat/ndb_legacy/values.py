"""Legacy ``db`` value types converted code uses: ``db.Email`` & co., ``db.Rating``, ``db.IM``, ``db.GeoPt``.

Each is checked when it is made, as db's were (the checks and messages of
the shim's value types, :mod:`compat._legacy_values`, with google-cloud-ndb's
``BadValueError``), and is what the matching property of
:mod:`compat.ndb_legacy.properties` reads back.
"""

from __future__ import annotations

import os
from typing import Optional, TypeVar, Union

from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat import _legacy_values as _checks

_T = TypeVar("_T", bound="_Text")


class Text(str):
    """``db.Text``: a string stored unindexed with meaning 15 (an Expando attribute, an unindexed StringProperty)."""


class _Text(str):
    """A legacy text value type: a non-empty string, checked when it is made (as db's were)."""

    _what = "value"

    def __new__(cls: type[_T], value: str) -> _T:
        _checks.check_string(value, cls._what, exceptions.BadValueError, refused=(bytes,))
        return super().__new__(cls, value)


class Email(_Text):
    """``db.Email``: the value type of EmailProperty (a ``str``)."""

    _what = "email"


class Link(_Text):
    """``db.Link``: the value type of LinkProperty (a ``str``), a full URL."""

    _what = "link"

    def __new__(cls, value: str) -> Link:
        _checks.check_link(value, exceptions.BadValueError, refused=(bytes,))
        return str.__new__(cls, value)


class Category(_Text):
    """``db.Category``: the value type of CategoryProperty (a ``str``)."""

    _what = "tag"


class PhoneNumber(_Text):
    """``db.PhoneNumber``: the value type of PhoneNumberProperty (a ``str``)."""

    _what = "phone"


class PostalAddress(_Text):
    """``db.PostalAddress``: the value type of PostalAddressProperty (a ``str``)."""

    _what = "address"


class Rating(int):
    """``db.Rating``: the value type of RatingProperty, an ``int`` from 0 to 100."""

    def __new__(cls, value: int) -> Rating:
        return super().__new__(cls, _checks.rating(value, exceptions.BadValueError))


class IM(str):
    """``db.IM``: an instant-messaging handle ``"protocol address"``, a ``str`` with ``protocol`` and ``address``."""

    def __new__(cls, protocol: str, address: Optional[str] = None) -> IM:
        protocol, address = _checks.im_parts(protocol, address, exceptions.BadValueError, refused=(bytes,))
        return super().__new__(cls, "%s %s" % (protocol, address))

    @property
    def protocol(self) -> str:
        return self.partition(" ")[0]

    @property
    def address(self) -> str:
        return self.partition(" ")[2]


class GeoPt(ndb.GeoPt):
    """``db.GeoPt``: ndb's GeoPt that also answers ``lat`` / ``lon`` and takes a ``"lat,lon"`` string."""

    def __init__(self, lat: Union[float, str], lon: Union[float, str, None] = None) -> None:
        super().__init__(*_checks.geo_point(lat, lon, exceptions.BadValueError))

    @property
    def lat(self) -> float:
        return self.latitude

    @property
    def lon(self) -> float:
        return self.longitude

    def __str__(self) -> str:
        return "%s,%s" % (self.latitude, self.longitude)


class User(ndb.User):
    """``users.User(email)``: ndb's User with the auth domain legacy took from the environment.

    Legacy read ``AUTH_DOMAIN`` (``gmail.com`` by default) where ndb requires
    ``_auth_domain=``, and without an e-mail it gave the current user
    (``USER_EMAIL`` / ``USER_ID``; ndb's UserNotFoundError when there is none).
    ``ndb.UserProperty`` stores it as legacy stored users.
    """

    def __init__(self, email: Optional[str] = None, _auth_domain: Optional[str] = None,
                 _user_id: Optional[str] = None) -> None:
        if email is None:
            email = os.environ.get("USER_EMAIL") or None
            _user_id = _user_id or os.environ.get("USER_ID") or None
        super().__init__(email, _auth_domain or os.environ.get("AUTH_DOMAIN") or "gmail.com", _user_id)
