"""The WSGI middleware, the decorator and the template helper, on a small app writing through the proxy."""

import io
import json
import wsgiref.util

import pytest
from google.cloud import ndb

from compat import capabilities
from compat.apiproxy_errors import CapabilityDisabledError
from compat.capabilities import ReadOnlyMiddleware, maintenance_notice, requires_writes


class Comment(ndb.Model):
    text = ndb.StringProperty()


def _request(app, method="GET", path="/", body=b"", accept="text/html"):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_ACCEPT": accept,
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    wsgiref.util.setup_testing_defaults(environ)
    captured = {}

    def start_response(status, headers, exc_info=None):
        if exc_info is not None and captured.get("sent"):
            raise exc_info[1].with_traceback(exc_info[2])
        captured["status"], captured["headers"] = status, dict(headers)

    result = app(environ, start_response)
    try:
        chunks = list(result)
        captured["sent"] = True
    finally:
        close = getattr(result, "close", None)
        if close:
            close()
    return captured["status"], captured["headers"], b"".join(chunks).decode("utf-8")


class BoardApp:
    """A message board: GET shows the form (with the notice), POST /comments writes."""

    def __init__(self, client):
        self.client = client
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        path = environ["PATH_INFO"]
        with self.client.context(cache_policy=False):
            if environ["REQUEST_METHOD"] == "GET":
                notice = maintenance_notice()
                count = len(Comment.query().fetch())
                page = "comments=%d notice=%s" % (count, notice or "-")
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [page.encode("utf-8")]
            if path == "/search":
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [b"results=%d" % len(Comment.query().fetch())]
            start_response("201 Created", [("Content-Type", "text/plain")])  # before writing, on purpose
            Comment(text=environ["wsgi.input"].read().decode("utf-8")).put()
            return [b"saved"]


@pytest.fixture
def board(datastore_fault_proxy, clean_datastore, make_monitor):
    monitor = make_monitor(cooldown=30, default_retry_after=90)
    client = capabilities.guard_ndb_client(ndb.Client(project=datastore_fault_proxy.project))
    app = BoardApp(client)
    return datastore_fault_proxy, app, ReadOnlyMiddleware(app, exempt_paths=("/search",)), monitor


def test_writes_answered_with_503_while_disabled(board, clock, direct):
    proxy, app, wrapped, monitor = board
    assert _request(wrapped, "POST", "/comments", b"first")[0] == "201 Created"
    assert _request(wrapped)[2] == "comments=1 notice=-"

    proxy.reject_writes()
    # The app's own write discovers it: the CapabilityDisabledError becomes the 503 page,
    # although the app had already called start_response.
    status, headers, body = _request(wrapped, "POST", "/comments", b"second")
    assert status == "503 Service Unavailable"
    assert headers["Retry-After"] == "30"
    assert "read-only" in body and "Nothing was saved" in body
    assert headers["Content-Type"].startswith("text/html")

    # Now write requests are refused before the app runs: no app call, no RPC.
    calls, commits = app.calls, proxy.calls["Commit"]
    status, headers, body = _request(wrapped, "POST", "/comments", b"third")
    assert status == "503 Service Unavailable" and headers["Retry-After"] == "30"
    assert (app.calls, proxy.calls["Commit"]) == (calls, commits)
    status, headers, body = _request(wrapped, "PUT", "/comments", b"x", accept="application/json")
    assert json.loads(body) == {"error": "read_only", "message": monitor.settings.default_message,
                                "retry_after": 30}
    assert headers["Content-Type"] == "application/json"

    # Reads and exempt POSTs are served, and the page can show the notice before the form.
    status, _, body = _request(wrapped)
    assert status == "200 OK" and body == "comments=1 notice=%s" % monitor.settings.default_message
    assert _request(wrapped, "POST", "/search")[2] == "results=1"

    # Recovery: after the cool-down a request is let through as the trial.
    proxy.allow_all()
    clock.advance(30)
    assert _request(wrapped, "POST", "/comments", b"fourth")[0] == "201 Created"
    assert _request(wrapped)[2] == "comments=2 notice=-"
    assert sorted(e["text"] for e in direct.query(kind="Comment").fetch()) == ["first", "fourth"]


def test_planned_maintenance_page_and_retry_after(board):
    proxy, app, wrapped, monitor = board
    monitor.set_override("on", message="Upgrading <storage> until 11:00 UTC.")
    status, headers, body = _request(wrapped, "POST", "/comments", b"x")
    assert status == "503 Service Unavailable"
    assert headers["Retry-After"] == "90"                       # no end known: the default
    assert "Upgrading &lt;storage&gt; until 11:00 UTC." in body  # escaped
    assert "about 2 minutes" in body
    assert app.calls == 0 and proxy.calls["Commit"] == 0
    assert _request(wrapped)[2] == "comments=0 notice=Upgrading <storage> until 11:00 UTC."


def test_requires_writes_decorator(board):
    proxy, app, wrapped, monitor = board
    ran = []

    @requires_writes
    def handler(value):
        ran.append(value)
        return value

    assert handler(1) == 1
    monitor.set_override("on", message="Maintenance.")
    with pytest.raises(CapabilityDisabledError, match="Maintenance."):
        handler(2)
    assert ran == [1]

    # Behind the middleware the refusal becomes a 503, even for a GET the filter let through.
    def wsgi_app(environ, start_response):
        handler(3)
        start_response("200 OK", [])
        return [b"unreachable"]

    status, headers, body = _request(ReadOnlyMiddleware(wsgi_app), "GET")
    assert status.startswith("503") and "Maintenance." in body and headers["Retry-After"] == "90"


def test_errors_in_a_streamed_body_and_other_errors(board):
    proxy, app, wrapped, monitor = board
    closed = []

    class Body:
        def __init__(self, error):
            self.error = error

        def __iter__(self):
            raise self.error
            yield b""  # pragma: no cover - makes this a generator

        def close(self):
            closed.append(True)

    def streaming(error):
        def wsgi_app(environ, start_response):
            start_response("200 OK", [])
            return Body(error)
        return ReadOnlyMiddleware(wsgi_app)

    status, _, _ = _request(streaming(monitor.disabled_error()), "GET")
    assert status.startswith("503") and closed == [True]
    with pytest.raises(ZeroDivisionError):
        _request(streaming(ZeroDivisionError()), "GET")
    assert closed == [True, True]


def test_custom_write_filter(board):
    proxy, app, wrapped, monitor = board
    monitor.set_override("on")
    only_comments = ReadOnlyMiddleware(app, is_write_request=lambda env: env["PATH_INFO"] == "/comments")
    assert _request(only_comments, "POST", "/search")[0] == "200 OK"
    assert _request(only_comments, "POST", "/comments", b"x")[0].startswith("503")
