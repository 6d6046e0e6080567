# -*- coding: utf-8 -*-
# A legacy App Engine test module, as apps wrote them (unittest + testbed).
# It runs unchanged on the legacy SDK and, through compat.install(), on the
# Cloud Datastore emulator.
import unittest

from google.appengine.ext import db
from google.appengine.ext import testbed


class GuestGreeting(db.Model):
    author = db.StringProperty()
    content = db.TextProperty()
    votes = db.IntegerProperty(default=0)
    date = db.DateTimeProperty(auto_now_add=True)


class DatastoreStubTest(unittest.TestCase):

    def setUp(self):
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.testbed.init_datastore_v3_stub()
        self.testbed.init_memcache_stub()

    def tearDown(self):
        self.testbed.deactivate()

    def testInsertEntity(self):
        GuestGreeting(author=u"taro", content=u"こんにちは").put()
        self.assertEqual(1, GuestGreeting.all().count())

    def testEachTestStartsEmpty(self):
        # the previous test's entity is gone
        self.assertEqual(0, GuestGreeting.all().count())
        GuestGreeting(author=u"hanako").put()
        GuestGreeting(author=u"jiro").put()
        self.assertEqual(2, len(GuestGreeting.all().fetch(10)))

    def testAutoIdsAreSequentialFromOne(self):
        first = GuestGreeting(author=u"a").put()
        second = GuestGreeting(author=u"b").put()
        self.assertEqual(1, first.id())
        self.assertEqual(2, second.id())

    def testGetByKeyNameAndDelete(self):
        GuestGreeting(key_name=u"g1", author=u"taro", votes=3).put()
        fetched = GuestGreeting.get_by_key_name(u"g1")
        self.assertEqual(3, fetched.votes)
        fetched.delete()
        self.assertEqual(None, GuestGreeting.get_by_key_name(u"g1"))

    def testTransaction(self):
        key = GuestGreeting(author=u"taro").put()

        def vote():
            greeting = db.get(key)
            greeting.votes += 1
            greeting.put()
        db.run_in_transaction(vote)
        db.run_in_transaction(vote)
        self.assertEqual(2, db.get(key).votes)

    def testQueryOrderAndFilter(self):
        for name, votes in [(u"a", 5), (u"b", 1), (u"c", 3)]:
            GuestGreeting(author=name, votes=votes).put()
        authors = [g.author for g in GuestGreeting.all().filter("votes >", 1).order("-votes")]
        self.assertEqual([u"a", u"c"], authors)

    def testDatastoreStubIsRegistered(self):
        self.assertTrue(self.testbed.get_stub(testbed.DATASTORE_SERVICE_NAME) is not None)
        self.assertEqual(None, self.testbed.get_stub(testbed.MAIL_SERVICE_NAME))


class ClearDatastoreTest(unittest.TestCase):
    # a suite that keeps one testbed per test and clears through the stub

    def setUp(self):
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.testbed.init_datastore_v3_stub()

    def tearDown(self):
        self.testbed.deactivate()

    def testClear(self):
        GuestGreeting(author=u"x").put()
        self.testbed.get_stub(testbed.DATASTORE_SERVICE_NAME).Clear()
        self.assertEqual(0, GuestGreeting.all().count())


class NotActivatedTest(unittest.TestCase):

    def testInitBeforeActivateFails(self):
        bed = testbed.Testbed()
        self.assertRaises(testbed.NotActivatedError, bed.init_memcache_stub)
        self.assertRaises(testbed.NotActivatedError, bed.deactivate)

    def testUnknownServiceFails(self):
        bed = testbed.Testbed()
        bed.activate()
        try:
            self.assertRaises(testbed.StubNotSupportedError, bed.get_stub, "no_such_service")
        finally:
            bed.deactivate()
