"""The one global setting: the default zone of every date/time property.

Legacy ``db`` has no such setting; without it (the default) every property
behaves exactly like legacy ``db``. Call :func:`set_default_timezone` once at
start-up (before the first datastore call); properties created before the call
follow it too, because conventions look the default up when they are used.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from typing import Any, Iterator, Optional

from compat.tz.zones import ZoneLike, optional_zone

NAIVE_POLICIES = ("utc", "local", "reject")

_lock = threading.Lock()
_default: dict[str, Any] = {"tzinfo": None, "naive": None, "stored_as": None, "generation": 0}
_snapshot: tuple[Optional[datetime.tzinfo], Optional[str], Optional[datetime.tzinfo], int] = (None, None, None, 0)  # what default_settings() returns (read on every datetime value)


def set_default_timezone(tzinfo: Optional[ZoneLike], naive: Optional[str] = None,
                         stored_as: Optional[ZoneLike] = None) -> None:
    """Make every DateTimeProperty without its own ``tzinfo=`` aware in ``tzinfo``.

    Args:
        tzinfo: a zone (name or tzinfo) values come back in, or None to go back
            to legacy behaviour (naive UTC).
        naive: default naive-input policy, ``"utc"``, ``"local"`` or ``"reject"``
            (None: ``"local"`` when ``stored_as`` is a wall-clock zone, else ``"utc"``).
        stored_as: default storage convention for properties that do not name
            their own: the zone whose naive wall-clock time the data holds
            (e.g. ``compat.tz.JST`` for apps that stored Japan time), or None
            for UTC (what legacy ``db`` and ndb write).
    """
    tz, stored = optional_zone(tzinfo), optional_zone(stored_as)
    check_naive_policy(naive)
    global _snapshot
    with _lock:
        _default.update(tzinfo=tz, naive=naive, stored_as=stored)
        _default["generation"] += 1
        _snapshot = (tz, naive, stored, _default["generation"])


def get_default_timezone() -> Optional[datetime.tzinfo]:
    """The zone set by :func:`set_default_timezone`, or None (legacy behaviour)."""
    return _default["tzinfo"]


def default_settings() -> tuple[Optional[datetime.tzinfo], Optional[str], Optional[datetime.tzinfo], int]:
    """``(tzinfo, naive, stored_as, generation)`` of the global default."""
    return _snapshot  # replaced as a whole under the lock: always one consistent setting


@contextlib.contextmanager
def default_timezone(tzinfo: Optional[ZoneLike], naive: Optional[str] = None,
                     stored_as: Optional[ZoneLike] = None) -> Iterator[None]:
    """Context manager: :func:`set_default_timezone` for a block, restoring the previous one."""
    previous = default_settings()[:3]
    set_default_timezone(tzinfo, naive=naive, stored_as=stored_as)
    try:
        yield
    finally:
        set_default_timezone(*previous)


def check_naive_policy(naive: Optional[str]) -> None:
    """Raise ValueError naming the choices unless ``naive`` is None or a known policy."""
    if naive is not None and naive not in NAIVE_POLICIES:
        raise ValueError(
            "naive=%r is not a naive-datetime policy; use one of %s"
            % (naive, ", ".join(repr(p) for p in NAIVE_POLICIES))
        )
