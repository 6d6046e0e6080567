"""Process-wide settings of the shim (``compat.configure()``).

Every setting has a default that reproduces production legacy ``db``; an
environment variable can set it for a whole deployment without code changes,
and a value given to :func:`configure` wins over the variable (the rule every
setting of the package follows; see docs/api.md, Settings).
"""

from __future__ import annotations

import os
import threading
from typing import Any, Iterable, Optional

_LOCK = threading.Lock()


class Settings:
    """The current settings. Read them as attributes of :data:`settings`.

    Attributes:
        partition: the prefix legacy App Engine put before the project id in
            keys (``"s~"`` for apps in the US partition, ``"e~"`` for the EU).
            ``str(key)`` and ``key.app()`` carry it. Env: ``COMPAT_PARTITION``.
        check_key_project: when True (the default), ``db.Key(encoded)``
            refuses strings whose project differs from the client's project
            (BadKeyError), so a key pasted into a URL cannot point into
            another application. Env: ``COMPAT_CHECK_KEY_PROJECT=0`` turns it off.
        key_namespaces: ``None`` (any namespace) or a collection of the
            namespaces ``db.Key(encoded)`` accepts; others raise BadKeyError.
        project: the project id; ``None`` means "discover it"
            (``compat._discovery``: DATASTORE_PROJECT_ID ... or the default
            credentials).
        strict: when True, legacy behaviours that usually hide a bug (a
            constructor keyword naming no property, a filter that can never
            match ...) are reported as ``compat.CompatWarning``; behaviour is
            otherwise unchanged. Off by default: compat is legacy-exact.
            Env: ``COMPAT_STRICT=1``.
    """

    def __init__(self):
        self.partition = os.environ.get("COMPAT_PARTITION", "s~")
        self.check_key_project = os.environ.get("COMPAT_CHECK_KEY_PROJECT", "1") not in ("0", "false", "no")
        self.key_namespaces = None
        self.project = None
        self.client = None
        self.strict = _env_flag("COMPAT_STRICT") or _env_flag("COMPAT_STRICT_CONSTRUCTOR")
        self.generation = 0  # bumped when the client or project changes (compat._context rebuilds its contexts)

    @property
    def strict_constructor(self):
        """Deprecated alias of ``strict``."""
        return self.strict

    @strict_constructor.setter
    def strict_constructor(self, value):
        self.strict = bool(value)


def _env_flag(name):
    return os.environ.get(name, "0").lower() not in ("0", "false", "no", "")


settings = Settings()

_UNSET: Any = object()  # "argument left out"


def configure(
    partition: str = _UNSET,
    check_key_project: bool = _UNSET,
    key_namespaces: Optional[Iterable[str]] = _UNSET,
    project: Optional[str] = _UNSET,
    client: Any = _UNSET,
    strict: bool = _UNSET,
    strict_constructor: bool = _UNSET,
) -> Settings:
    """Change process-wide settings; arguments left out keep their value.

    ``client`` is a ``google.cloud.ndb.Client`` to use instead of one built
    from the environment (its project becomes the project too).
    ``strict=True`` reports legacy behaviours that usually hide a bug as
    ``compat.CompatWarning`` (``strict_constructor`` is its deprecated alias).
    """
    with _LOCK:
        if partition is not _UNSET:
            if not isinstance(partition, str):
                raise TypeError("partition must be a string such as 's~' or ''")
            settings.partition = partition
        if check_key_project is not _UNSET:
            settings.check_key_project = bool(check_key_project)
        if key_namespaces is not _UNSET:
            settings.key_namespaces = None if key_namespaces is None else frozenset(key_namespaces)
        if project is not _UNSET:
            settings.project = project
        if client is not _UNSET:
            settings.client = client
        if strict_constructor is not _UNSET:
            settings.strict = bool(strict_constructor)
        if strict is not _UNSET:
            settings.strict = bool(strict)
        if client is not _UNSET or project is not _UNSET:
            settings.generation += 1
    return settings
