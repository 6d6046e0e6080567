"""The checks legacy's value types made when one was built (``datastore_types``): one copy for both sides.

The shim's value types (:mod:`compat.db.types`) and the ones ``db2ndb --to
ndb`` output uses (:mod:`compat.ndb_legacy.values`) check what the legacy SDK
checked, with its messages; each side passes the error class it raises (the
shim's ``BadValueError``, google-cloud-ndb's). Standard library only, so
ndb_legacy does not import the shim.
"""

from __future__ import annotations

import urllib.parse
from typing import Any, Optional, Tuple

MAX_STRING_BYTES = 1500
MAX_LINK_BYTES = 2083
#: the instant-messaging protocols legacy knew by name (any other protocol must be a URL)
IM_PROTOCOLS = ("sip", "unknown", "xmpp")


def _typename(value: Any) -> str:
    return type(value).__name__


def check_string(value: Any, name: str, error: type[Exception], max_len: int = MAX_STRING_BYTES,
                 empty_ok: bool = False, refused: Tuple[type, ...] = ()) -> None:
    """Legacy ``ValidateString``: a non-empty str/bytes (not one of ``refused``); a ``str`` of at most ``max_len`` UTF-8 bytes.

    As in the legacy SDK on Python 3, the length of a ``bytes`` value is not checked.
    """
    if value is None and empty_ok:
        return
    if not isinstance(value, (str, bytes)) or isinstance(value, refused):
        raise error("%s should be a string; received %r (a %s):" % (name, value, _typename(value)))
    if not value and not empty_ok:
        raise error("%s must not be empty." % name)
    if isinstance(value, str) and len(value) * 4 > max_len and len(value.encode("utf-8", "surrogatepass")) > max_len:
        raise error("%s must be under %d bytes." % (name, max_len))


def check_link(link: Any, error: type[Exception], refused: Tuple[type, ...] = ()) -> None:
    """Legacy ``db.Link``: a string of at most 2083 bytes with a scheme and a host (a path for ``file:``)."""
    check_string(link, "link", error, max_len=MAX_LINK_BYTES, refused=refused)
    scheme, domain, path, _, _, _ = urllib.parse.urlparse(link)
    if not scheme or (scheme != "file" and not domain) or (scheme == "file" and not path):
        raise error("Invalid URL: %s" % link)


def rating(value: Any, error: type[Exception], low: int = 0, high: int = 100) -> int:
    """Legacy ``db.Rating``: anything ``int()`` takes except floats, from ``low`` to ``high``; the int."""
    if isinstance(value, (float, complex)):
        raise error("Expected int or long; received %s (a %s)." % (value, _typename(value)))
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise error("Expected int or long; received %s (a %s)." % (value, _typename(value)))
    if number < low or number > high:
        raise error("Rating must be between %d and %d; received %d" % (low, high, number))
    return number


def geo_point(lat: Any, lon: Any, error: type[Exception]) -> Tuple[float, float]:
    """Legacy ``db.GeoPt(lat, lon)`` / ``db.GeoPt("lat,lon")``: the two floats, in range."""
    if lon is None:
        try:
            lat, lon = lat.split(",")
        except (AttributeError, ValueError):
            raise error('Expected a "lat,long" formatted string; received %s (a %s).' % (lat, _typename(lat)))
    try:
        lat = float(lat)
        lon = float(lon)
    except (TypeError, ValueError):
        raise error("Expected floats for lat and long; received %s (a %s) and %s (a %s)."
                    % (lat, _typename(lat), lon, _typename(lon)))
    if abs(lat) > 90:
        raise error("Latitude must be between -90 and 90; received %f" % lat)
    if abs(lon) > 180:
        raise error("Longitude must be between -180 and 180; received %f" % lon)
    return lat, lon


def im_parts(protocol: Any, address: Optional[Any], error: type[Exception],
             refused: Tuple[type, ...] = ()) -> Tuple[str, str]:
    """Legacy ``db.IM(protocol, address)`` / ``db.IM("protocol address")``: the protocol and the address.

    The protocol is one of :data:`IM_PROTOCOLS` or a URL (:func:`check_link`);
    the address a non-empty string.
    """
    if address is None:
        try:
            protocol, address = protocol.split(" ", 1)
        except (AttributeError, ValueError):
            raise error('Expected string of format "protocol address"; received %s' % (protocol,))
    check_string(address, "address", error, refused=refused)
    if protocol not in IM_PROTOCOLS:
        check_link(protocol, error, refused)
    return protocol, address
