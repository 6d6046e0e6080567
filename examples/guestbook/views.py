# -*- coding: utf-8 -*-
# HTML rendering with plain string templates, as many small 2010 apps had.
import html

from google.appengine.api import capabilities

WRITE_CAPABILITY = capabilities.CapabilitySet("datastore_v3", capabilities=["write"])


def maintenance_notice():
    if WRITE_CAPABILITY.is_enabled():
        return ""
    message = WRITE_CAPABILITY.admin_message() or "The board is read-only for maintenance."
    return '<p class="maintenance">%s</p>\n' % html.escape(message)


def page(title, body):
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n<body>\n%s%s</body></html>\n"
            % (html.escape(title), maintenance_notice(), body))


def fmt_date(value):
    return value.strftime("%Y-%m-%d %H:%M") + " JST"


def thread_list(threads, next_cursor):
    rows = []
    for thread in threads:
        rows.append('<li><a href="/thread/%s">%s</a> by %s (%d posts, updated %s)</li>' % (
            str(thread.key()), html.escape(thread.title), html.escape(thread.author.nickname),
            thread.post_count, fmt_date(thread.updated)))
    body = "<h1>Threads</h1>\n<ul>\n%s\n</ul>\n" % "\n".join(rows)
    if next_cursor:
        body += '<a class="next" href="/?cursor=%s">next page</a>\n' % next_cursor
    body += ('<form method="post" action="/thread"><input name="author"><input name="title">'
             '<textarea name="body"></textarea><button>Start a thread</button></form>\n')
    return page("Threads", body)


def thread_page(thread, posts):
    items = []
    for post in posts:
        items.append('<li><b>%s</b> %s<br>%s</li>' % (
            html.escape(post.author.nickname), fmt_date(post.date),
            html.escape(post.body).replace("\n", "<br>")))
    body = "<h1>%s</h1>\n<ol>\n%s\n</ol>\n" % (html.escape(thread.title), "\n".join(items))
    body += ('<form method="post" action="/thread/%s/post"><input name="author"><textarea name="body"></textarea>'
             '<button>Reply</button></form>\n' % str(thread.key()))
    return page(thread.title, body)


def error_page(status, message):
    return page("Error", "<h1>%s</h1>\n<p>%s</p>\n" % (html.escape(status), html.escape(message)))
