"""Serve one WSGI application to the demo: one JSON request per stdin line, one JSON response per stdout line.

``python examples/worker.py --app-dir DIR --mode shim|ndb``

* ``shim``: ``compat.install()`` then the app's unmodified legacy imports,
  each request in its own compat context (``compat.wsgi.ContextMiddleware``).
* ``ndb``: the app as converted by ``db2ndb``, each request in a
  google-cloud-ndb context with the cache off; the ndb client is guarded by
  ``compat.capabilities.guard_ndb_client`` so refused writes surface as
  ``CapabilityDisabledError``, as they do on the shim.

Requests: ``{"method": "GET", "path": "/", "query": "", "form": {...}}``.
Responses: ``{"status": "200 OK", "headers": {...}, "body": "..."}``.
"""

import argparse
import io
import json
import os
import sys
import urllib.parse


def _shim_app(app_dir):
    import compat
    from compat.wsgi import ContextMiddleware

    compat.install()
    sys.path.insert(0, app_dir)
    import app  # noqa: E402  (the legacy application)

    return ContextMiddleware(app.application)


def _ndb_app(app_dir):
    from google.cloud import ndb

    from compat.capabilities import guard_ndb_client

    client = guard_ndb_client(ndb.Client())
    sys.path.insert(0, app_dir)
    import app  # noqa: E402  (the converted application)

    def application(environ, start_response):
        with client.context(cache_policy=False):
            return list(app.application(environ, start_response))

    return application


def _call(application, request):
    body = urllib.parse.urlencode(request.get("form") or {}).encode("utf-8")
    environ = {
        "REQUEST_METHOD": request.get("method", "GET"),
        "PATH_INFO": request.get("path", "/"),
        "QUERY_STRING": request.get("query", ""),
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "demo", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = status
        captured["headers"] = dict(headers)

    chunks = application(environ, start_response)
    payload = b"".join(chunks)
    return {"status": captured.get("status"), "headers": captured.get("headers", {}),
            "body": payload.decode("utf-8")}


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--app-dir", required=True)
    parser.add_argument("--mode", choices=["shim", "ndb"], required=True)
    parser.add_argument("--cooldown", type=float, default=None,
                        help="read-only breaker cool-down in seconds (the demo uses 1)")
    parser.add_argument("--maintenance-cache", type=float, default=None,
                        help="seconds a read of the maintenance switch may be stale (the demo uses 0)")
    args = parser.parse_args(argv)
    tuning = {}
    if args.cooldown is not None:
        tuning["cooldown"] = args.cooldown
    if args.maintenance_cache is not None:
        tuning["maintenance_cache_seconds"] = args.maintenance_cache
    if tuning:
        from compat import capabilities

        capabilities.configure(**tuning)
    application = (_shim_app if args.mode == "shim" else _ndb_app)(os.path.abspath(args.app_dir))
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        try:
            response = _call(application, request)
        except Exception as error:  # report, keep serving
            response = {"status": "500 Internal Server Error", "headers": {},
                        "body": "%s: %s" % (type(error).__name__, error)}
        out.write(json.dumps(response) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
