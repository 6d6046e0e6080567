"""WSGI middleware giving every request its own ndb context.

Legacy App Engine gave each request a fresh datastore environment. Wrap your
WSGI app so each request runs in a context of its own (nothing cached leaks
between requests, pending asynchronous work is finished before the response
is returned)::

    app = compat.wsgi.ContextMiddleware(app)
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from compat import _context


class ContextMiddleware:
    """Run each request of ``app`` in a fresh compat/ndb context (see ``compat.context()``)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], **context_options: Any) -> None:
        self.app = app
        self.context_options = context_options

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with _context.context(**self.context_options):
            result = self.app(environ, start_response)
            # Consume the body inside the context: generators may still read the datastore.
            try:
                body = list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        return body
