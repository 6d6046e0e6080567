"""The legacy ``google.appengine.api.namespace_manager``: the default namespace of the current request.

The value lives in a ``contextvars.ContextVar``, so threads and asyncio tasks
each see their own, as legacy requests did. ``compat.install()`` makes this
module importable under its legacy name.
"""

from __future__ import annotations

import contextvars
import os
import re
from typing import Any, Optional

_NAMESPACE_MAX_LENGTH = 100
_NAMESPACE_PATTERN = r"^[0-9A-Za-z._-]{0,%s}$" % _NAMESPACE_MAX_LENGTH
_NAMESPACE_RE = re.compile(_NAMESPACE_PATTERN)
_CURRENT = contextvars.ContextVar("compat_namespace", default="")


class BadValueError(Exception):
    """A namespace string is invalid (legacy ``namespace_manager.BadValueError``)."""


def validate_namespace(value: Any, exception: type[Exception] = BadValueError) -> None:
    """Raise ``exception`` unless ``value`` matches ``[0-9A-Za-z._-]{0,100}``."""
    if not isinstance(value, str):
        raise exception("value should be a string; received %r (a %s):" % (value, type(value)))
    if not _NAMESPACE_RE.match(value):
        raise exception('value "%s" does not match regex "%s"' % (value, _NAMESPACE_PATTERN))


def set_namespace(namespace: Optional[str]) -> None:
    """Set the default namespace for the current request (``None`` unsets it)."""
    if namespace is None:
        namespace = ""
    else:
        validate_namespace(namespace)
    _CURRENT.set(namespace)


def get_namespace() -> str:
    """The current default namespace, or ``''``."""
    return _CURRENT.get()


def google_apps_namespace() -> Optional[str]:
    """The Google Apps namespace of the request, from ``HTTP_X_APPENGINE_DEFAULT_NAMESPACE``."""
    return os.environ.get("HTTP_X_APPENGINE_DEFAULT_NAMESPACE")


# Legacy CamelCase aliases.
SetNamespace = set_namespace
GetNamespace = get_namespace
