"""compat: the legacy App Engine ``db`` API on google-cloud-ndb.

* ``from compat import db`` -- the legacy ``google.appengine.ext.db`` surface.
* ``compat.install()`` -- make unmodified ``google.appengine...`` imports work.
* ``compat.context()`` -- give a block (a request, a job) an ndb context of its own.
* ``compat.configure(...)`` -- partition prefix, project, key checks, client, strict mode.
* ``compat.CompatWarning`` -- what strict mode (``configure(strict=True)``) reports.
* ``compat.wsgi.ContextMiddleware`` -- one context per WSGI request.
"""

from compat._config import configure, settings
from compat._context import context, get_client, reset_client
from compat._version import __version__
from compat.install import install, uninstall
from compat.warnings import CompatWarning

__all__ = ["CompatWarning", "__version__", "configure", "settings", "context", "get_client", "reset_client",
           "install", "uninstall"]
