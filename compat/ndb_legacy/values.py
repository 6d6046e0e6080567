"""Legacy ``db`` value types converted code uses: ``db.Email`` & co., ``db.Rating``, ``db.IM``, ``db.GeoPt``.

Each is checked when it is made, as db's were, and is what the matching
property of :mod:`compat.ndb_legacy.properties` reads back.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit
from typing import Any, Optional, TypeVar, Union

from google.cloud import ndb
from google.cloud.ndb import exceptions

IM_PROTOCOLS = ("sip", "xmpp", "unknown")
_T = TypeVar("_T", bound="_Text")


class Text(str):
    """``db.Text``: a string stored unindexed with meaning 15 (an Expando attribute, an unindexed StringProperty)."""


class _Text(str):
    """A legacy text value type: a non-empty string, checked when it is made (as db's were)."""

    _what = "value"

    def __new__(cls: type[_T], value: str) -> _T:
        if not isinstance(value, str):
            raise exceptions.BadValueError(
                "%s should be a string; received %r (a %s):" % (cls._what, value, type(value).__name__))
        if not value:
            raise exceptions.BadValueError("%s must not be empty." % cls._what)
        return super().__new__(cls, value)


class Email(_Text):
    """``db.Email``: the value type of EmailProperty (a ``str``)."""

    _what = "email"


class Link(_Text):
    """``db.Link``: the value type of LinkProperty (a ``str``), a full URL."""

    _what = "link"

    def __new__(cls, value: str) -> Link:
        self = super().__new__(cls, value)
        parts = urlsplit(self)
        if not parts.scheme or not parts.netloc:
            raise exceptions.BadValueError("Invalid URL: %s" % value)
        return self


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
        if isinstance(value, bool) or not isinstance(value, int):
            raise exceptions.BadValueError("rating should be an int; received %r" % (value,))
        if not 0 <= value <= 100:
            raise exceptions.BadValueError("Rating must be between 0 and 100, was %r" % (value,))
        return super().__new__(cls, value)


class IM(str):
    """``db.IM``: an instant-messaging handle ``"protocol address"``, a ``str`` with ``protocol`` and ``address``."""

    def __new__(cls, protocol: str, address: Optional[str] = None) -> IM:
        text = protocol if address is None else "%s %s" % (protocol, address)
        if not isinstance(text, str):
            raise exceptions.BadValueError('Expected string of format "protocol address"; received %s' % (text,))
        name, _, rest = text.partition(" ")
        if not rest or not (name in IM_PROTOCOLS or "://" in name or "." in name):
            raise exceptions.BadValueError('Expected string of format "protocol address"; received %s' % text)
        return super().__new__(cls, text)

    @property
    def protocol(self) -> str:
        return self.partition(" ")[0]

    @property
    def address(self) -> str:
        return self.partition(" ")[2]


class GeoPt(ndb.GeoPt):
    """``db.GeoPt``: ndb's GeoPt that also answers ``lat`` / ``lon`` and takes a ``"lat,lon"`` string."""

    def __init__(self, lat: Union[float, str], lon: Union[float, str, None] = None) -> None:
        pair: Any = (lat, lon)  # checked at run time: float() raises for anything else
        if lon is None and isinstance(lat, str):
            try:
                first, second = (float(part) for part in lat.split(","))
            except ValueError:
                raise exceptions.BadValueError('Expected a "lat,long" formatted string; received %s' % lat)
            pair = (first, second)
        lat, lon = float(pair[0]), float(pair[1])
        if not -90 <= lat <= 90:
            raise exceptions.BadValueError("Latitude must be between -90 and 90; received %f" % lat)
        if not -180 <= lon <= 180:
            raise exceptions.BadValueError("Longitude must be between -180 and 180; received %f" % lon)
        super().__init__(lat, lon)

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
