# -*- coding: utf-8 -*-
# The WSGI application: a tiny router over the views and the logic.
import urllib.parse

from google.appengine.ext import db
from google.appengine.runtime import apiproxy_errors

import logic
import views
from models import Thread


def _form(environ):
    size = int(environ.get("CONTENT_LENGTH") or 0)
    data = environ["wsgi.input"].read(size).decode("utf-8") if size else ""
    return dict(urllib.parse.parse_qsl(data))


def _respond(start_response, status, body, headers=()):
    data = body.encode("utf-8")
    start_response(status, [("Content-Type", "text/html; charset=utf-8"),
                            ("Content-Length", str(len(data)))] + list(headers))
    return [data]


def _redirect(start_response, location):
    start_response("303 See Other", [("Location", location), ("Content-Length", "0")])
    return [b""]


def _thread_for(key_string):
    try:
        thread = Thread.get(key_string)
    except (db.BadKeyError, db.BadArgumentError, db.KindError):
        return None
    return thread


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    method = environ.get("REQUEST_METHOD", "GET")
    query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
    try:
        if path == "/" and method == "GET":
            try:
                threads, next_cursor = logic.list_threads(query.get("cursor"))
            except (db.BadValueError, db.BadRequestError, db.BadArgumentError):
                return _respond(start_response, "400 Bad Request", views.error_page("400", "Bad cursor"))
            return _respond(start_response, "200 OK", views.thread_list(threads, next_cursor))
        if path == "/thread" and method == "POST":
            form = _form(environ)
            thread = logic.create_thread(form["author"], form["title"], form["body"])
            return _redirect(start_response, "/thread/%s" % str(thread.key()))
        if path.startswith("/thread/"):
            parts = path.split("/")
            thread = _thread_for(parts[2])
            if thread is None:
                return _respond(start_response, "404 Not Found", views.error_page("404", "No such thread"))
            if len(parts) == 3 and method == "GET":
                return _respond(start_response, "200 OK", views.thread_page(thread, logic.thread_posts(thread)))
            if len(parts) == 4 and parts[3] == "post" and method == "POST":
                form = _form(environ)
                logic.add_post(thread.key(), form["author"], form["body"])
                return _redirect(start_response, "/thread/%s" % str(thread.key()))
        return _respond(start_response, "404 Not Found", views.error_page("404", "Not found"))
    except apiproxy_errors.CapabilityDisabledError:
        return _respond(start_response, "503 Service Unavailable",
                        views.error_page("503", "The board is read-only for maintenance. Please try again later."),
                        [("Retry-After", "60")])
