"""Errors raised by compat.tz.

Legacy ``db`` had none of these: it silently dropped the zone. They exist so
that a value which cannot be placed on the time line unambiguously fails with
a message naming the problem instead of being stored hours off.
"""

import pytz.exceptions as _pytz_exceptions


class TimeZoneError(ValueError):
    """Base class of every compat.tz error (a ``ValueError``)."""


class UnknownTimeZoneError(TimeZoneError, _pytz_exceptions.UnknownTimeZoneError):
    """A zone name that is not in the IANA time-zone database.

    Also a ``pytz.UnknownTimeZoneError``, so code written against pytz still catches it.
    """


class NaiveDatetimeError(TimeZoneError):
    """A naive datetime was given to a property whose naive policy is ``"reject"``."""


class AmbiguousTimeError(TimeZoneError, _pytz_exceptions.AmbiguousTimeError):
    """A wall-clock time that happens twice (clocks turned back), with ``strict=True``.

    Also a ``pytz.AmbiguousTimeError``.
    """


class NonExistentTimeError(TimeZoneError, _pytz_exceptions.NonExistentTimeError):
    """A wall-clock time that never happens (clocks turned forward), with ``strict=True``.

    Also a ``pytz.NonExistentTimeError``.
    """
