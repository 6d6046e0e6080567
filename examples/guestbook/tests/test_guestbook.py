# -*- coding: utf-8 -*-
# The guestbook's test suite, written the way 2010 App Engine suites were:
# unittest classes, a testbed per test, datastore and memcache stubs.
import io
import unittest
import urllib.parse

from google.appengine.ext import db
from google.appengine.ext import testbed

import app
import logic
from models import Author, Post, Thread


class GuestbookTestCase(unittest.TestCase):

    def setUp(self):
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.testbed.init_datastore_v3_stub()
        self.testbed.init_memcache_stub()

    def tearDown(self):
        self.testbed.deactivate()

    def request(self, method, path, query="", form=None):
        body = urllib.parse.urlencode(form or {}).encode("utf-8")
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
                   "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"] = status
            captured["headers"] = dict(headers)

        payload = b"".join(app.application(environ, start_response)).decode("utf-8")
        return captured["status"], captured["headers"], payload


class LogicTest(GuestbookTestCase):

    def test_create_thread_stores_thread_post_and_author(self):
        thread = logic.create_thread("taro", "Hello", "first post")
        self.assertEqual(1, Thread.all().count())
        self.assertEqual(1, Post.all().count())
        self.assertEqual(1, db.get(thread.key()).post_count)
        self.assertEqual("Hello", Thread.all().get().title)

    def test_author_is_created_once(self):
        logic.create_thread("taro", "One", "a")
        logic.create_thread("taro", "Two", "b")
        self.assertEqual(1, Author.all().count())
        self.assertEqual(2, Author.get_by_key_name("author:taro").post_count)

    def test_add_post_counts_in_a_transaction(self):
        thread = logic.create_thread("taro", "Hello", "first")
        logic.add_post(thread.key(), "hanako", "reply")
        stored = db.get(thread.key())
        self.assertEqual(2, stored.post_count)
        self.assertEqual(["first", "reply"], [p.body for p in logic.thread_posts(stored)])

    def test_list_threads_pages_with_a_cursor(self):
        for index in range(5):
            logic.create_thread("taro", "Thread %d" % index, "body")
        first, cursor = logic.list_threads()
        self.assertEqual(3, len(first))
        self.assertTrue(cursor)
        second, last_cursor = logic.list_threads(cursor)
        self.assertEqual(2, len(second))
        self.assertEqual(None, last_cursor)
        self.assertFalse({t.key() for t in first} & {t.key() for t in second})


class PagesTest(GuestbookTestCase):

    def test_front_page_lists_threads(self):
        logic.create_thread("taro", u"お知らせ", "body")
        status, _, body = self.request("GET", "/")
        self.assertEqual("200 OK", status)
        self.assertIn(u"お知らせ", body)

    def test_posting_a_thread_redirects_to_it(self):
        status, headers, _ = self.request("POST", "/thread", form={"author": "taro", "title": "T", "body": "B"})
        self.assertEqual("303 See Other", status)
        status, _, body = self.request("GET", headers["Location"])
        self.assertEqual("200 OK", status)
        self.assertIn("<h1>T</h1>", body)

    def test_reply_through_the_form(self):
        _, headers, _ = self.request("POST", "/thread", form={"author": "taro", "title": "T", "body": "B"})
        status, _, _ = self.request("POST", headers["Location"] + "/post", form={"author": "jiro", "body": "R"})
        self.assertEqual("303 See Other", status)
        self.assertEqual(2, Post.all().count())

    def test_garbage_key_is_a_404(self):
        status, _, _ = self.request("GET", "/thread/garbage")
        self.assertEqual("404 Not Found", status)

    def test_garbage_cursor_is_a_400(self):
        status, _, _ = self.request("GET", "/", query="cursor=not-a-cursor")
        self.assertEqual("400 Bad Request", status)
