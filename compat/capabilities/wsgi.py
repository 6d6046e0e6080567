"""Web integration: answer write endpoints with 503 while datastore writes are disabled.

* :class:`ReadOnlyMiddleware` wraps any WSGI application. While writes are
  disabled, write requests (by default every method but GET, HEAD, OPTIONS
  and TRACE) get ``503 Service Unavailable`` with ``Retry-After`` and a
  maintenance page, before the application runs. A
  ``CapabilityDisabledError`` raised by the application (a write the request
  filter did not foresee, or a breaker that opened mid-request) becomes the
  same 503, provided the response has not started yet.
* :func:`requires_writes` decorates a handler (any callable): while writes
  are disabled it raises ``CapabilityDisabledError`` before the handler runs,
  which the middleware turns into the 503.
* :func:`maintenance_notice` is for templates: the admin message to show
  before the user fills in a form, or None.
"""

from __future__ import annotations

import functools
import html
import json
import math
from typing import Any, Callable, Iterable, Optional, TypeVar, cast, overload

from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities.monitor import WriteMonitor, get_monitor

_F = TypeVar("_F", bound=Callable[..., Any])
#: A WSGI ``start_response`` callable.
StartResponse = Callable[..., Any]
#: ``page(message, retry_after, environ)`` -> ``(content_type, body bytes)``: the 503 page.
PageFunction = Callable[[str, float, dict[str, Any]], "tuple[str, bytes]"]

READ_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "TRACE"))

PAGE_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Read-only maintenance</title></head>
<body>
<h1>Temporarily read-only</h1>
<p>{message}</p>
<p>Nothing was saved. Please try again in about {minutes}.</p>
</body>
</html>
"""


def maintenance_notice(within: Optional[float] = None, monitor: Optional[WriteMonitor] = None) -> Optional[str]:
    """The admin message while writes are disabled or maintenance is scheduled, else None.

    For templates: ``{% if notice %}<div class="notice">{{ notice }}</div>{% endif %}``
    with ``notice = maintenance_notice()``. ``within`` limits announcements of
    scheduled maintenance to windows starting in at most that many seconds.
    """
    return (monitor or get_monitor()).maintenance_notice(within=within)


@overload
def requires_writes(function: _F, *, monitor: Optional[WriteMonitor] = ...) -> _F: ...
@overload
def requires_writes(function: None = ..., *, monitor: Optional[WriteMonitor] = ...) -> Callable[[_F], _F]: ...
def requires_writes(function: Optional[_F] = None, *, monitor: Optional[WriteMonitor] = None) -> Any:
    """Decorator: raise CapabilityDisabledError before ``function`` runs while writes are disabled.

    Works on plain functions, methods (webapp2/Flask/Django handlers) and WSGI
    callables alike; with :class:`ReadOnlyMiddleware` in front the error
    becomes a 503 maintenance page.
    """

    def decorate(func: _F) -> _F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            chosen = monitor or get_monitor()
            status = chosen.write_status()
            if not status.enabled:
                raise chosen.disabled_error(status)
            return func(*args, **kwargs)

        return cast(_F, wrapper)

    if function is not None:
        return decorate(function)
    return decorate


def _retry_after_header(seconds):
    return str(max(1, int(math.ceil(seconds))))


def _humane(seconds):
    minutes = max(1, int(math.ceil(seconds / 60.0)))
    return "1 minute" if minutes == 1 else "%d minutes" % minutes


def default_page(message: str, retry_after: float, environ: dict[str, Any]) -> tuple[str, bytes]:
    """The 503 body: JSON when the client prefers it, else a small HTML page.

    Returns ``(content_type, body_bytes)``. Replace it with ``page=`` on the middleware.
    """
    accept = environ.get("HTTP_ACCEPT", "")
    if "application/json" in accept and "text/html" not in accept:
        body = json.dumps({"error": "read_only", "message": message,
                           "retry_after": int(_retry_after_header(retry_after))})
        return "application/json", body.encode("utf-8")
    body = PAGE_TEMPLATE.format(message=html.escape(message), minutes=_humane(retry_after))
    return "text/html; charset=utf-8", body.encode("utf-8")


class ReadOnlyMiddleware:
    """WSGI middleware answering write requests with 503 while datastore writes are disabled.

    Args:
        app: the WSGI application.
        is_write_request: ``callable(environ) -> bool``; default: the method is
            not GET/HEAD/OPTIONS/TRACE and the path is not exempt.
        exempt_paths: path prefixes never refused up front (e.g. a POST search).
        page: ``callable(message, retry_after, environ) -> (content_type, bytes)``;
            default :func:`default_page`.
        monitor: the :class:`~compat.capabilities.monitor.WriteMonitor` (default: process-wide).
    """

    def __init__(self, app: Callable[..., Iterable[bytes]],
                 is_write_request: Optional[Callable[[dict[str, Any]], Any]] = None,
                 exempt_paths: Iterable[str] = (), page: Optional[PageFunction] = None,
                 monitor: Optional[WriteMonitor] = None) -> None:
        self.app = app
        self.exempt_paths = tuple(exempt_paths)
        self._is_write_request = is_write_request
        self.page = page or default_page
        self._monitor = monitor

    @property
    def monitor(self) -> WriteMonitor:
        """The monitor asked (the process-wide one unless one was given)."""
        return self._monitor or get_monitor()

    def is_write_request(self, environ: dict[str, Any]) -> bool:
        """True when ``environ`` is a request that may write."""
        if self._is_write_request is not None:
            return bool(self._is_write_request(environ))
        if environ.get("REQUEST_METHOD", "GET").upper() in READ_METHODS:
            return False
        path = environ.get("PATH_INFO", "")
        return not any(path.startswith(prefix) for prefix in self.exempt_paths)

    def unavailable(self, environ: dict[str, Any], start_response: StartResponse, message: str, retry_after: float,
                    exc_info: Any = None) -> list[bytes]:
        """Send the 503 maintenance response."""
        content_type, body = self.page(message, retry_after, environ)
        headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Retry-After", _retry_after_header(retry_after)),
            ("Cache-Control", "no-store"),
        ]
        start_response("503 Service Unavailable", headers, exc_info)
        return [body]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        monitor = self.monitor
        if self.is_write_request(environ):
            status = monitor.write_status()
            if not status.enabled:
                return self.unavailable(environ, start_response,
                                        status.admin_message or monitor.settings.default_message,
                                        monitor.retry_after(status))
        started = []

        def tracking_start_response(status, headers, exc_info=None):
            started.append(status)
            return start_response(status, headers, exc_info)

        result = None
        try:
            result = self.app(environ, tracking_start_response)
            body = iter(result)
            try:
                first = next(body)
            except StopIteration:
                first = None
        except CapabilityDisabledError as error:
            _close(result)
            return self._refused(environ, start_response, monitor, error, started)
        except BaseException:
            _close(result)
            raise
        return _Body(first, body, result)

    def _refused(self, environ, start_response, monitor, error, started):
        import sys

        message = getattr(error, "admin_message", None) or monitor.settings.default_message
        retry_after = getattr(error, "retry_after", None)
        if retry_after is None:
            retry_after = monitor.retry_after()
        # Headers are not sent before the first body chunk, so a second
        # start_response with exc_info is allowed (PEP 3333).
        return self.unavailable(environ, start_response, message, retry_after,
                                sys.exc_info() if started else None)


def _close(result):
    close = getattr(result, "close", None)
    if close is not None:
        close()


class _Body:
    """The application's response with its first chunk already pulled (keeps ``close()``)."""

    def __init__(self, first, rest, result):
        self._first, self._rest, self._result = first, rest, result

    def __iter__(self):
        if self._first is not None:
            yield self._first
        yield from self._rest

    def close(self):
        _close(self._result)
