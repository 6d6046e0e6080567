"""``CompatWarning``: what compat's strict mode reports.

By default compat behaves exactly as legacy ``db`` did, quirks included.
``compat.configure(strict=True)`` (or ``COMPAT_STRICT=1``) additionally
reports the legacy behaviours that usually hide a bug (a constructor keyword
that names no property, a filter operand the property could never store, a
filter on a property that is never indexed ...) as a :class:`CompatWarning`,
and changes nothing else. Turn the warnings into errors with the standard
machinery::

    import warnings
    import compat

    compat.configure(strict=True)
    warnings.simplefilter("error", compat.CompatWarning)
"""

import warnings as _warnings

from compat._config import settings


class CompatWarning(UserWarning):
    """A legacy ``db`` behaviour that is kept, but that usually hides a bug (strict mode only)."""


def strict_warning(message: str, stacklevel: int = 3) -> None:
    """Issue ``message`` as a :class:`CompatWarning` when strict mode is on; otherwise do nothing."""
    if settings.strict:
        _warnings.warn(message, CompatWarning, stacklevel=stacklevel)
