# -*- coding: utf-8 -*-
# Eventual consistency, as legacy suites test it with PseudoRandomHRConsistencyPolicy.
import unittest

from google.appengine.datastore import datastore_stub_util
from google.appengine.ext import db
from google.appengine.ext import testbed


class Note(db.Model):
    text = db.StringProperty()


class EventualConsistencyTest(unittest.TestCase):

    def setUp(self):
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.policy = datastore_stub_util.PseudoRandomHRConsistencyPolicy(probability=0)
        self.testbed.init_datastore_v3_stub(consistency_policy=self.policy)

    def tearDown(self):
        self.testbed.deactivate()

    def testGlobalQueryMissesNewWrites(self):
        parent = db.Key.from_path("Book", "b1")
        Note(parent=parent, text=u"one").put()
        self.assertEqual(0, Note.all().count())
        # an ancestor query is strongly consistent and applies the write
        self.assertEqual(1, Note.all().ancestor(parent).count())
        self.assertEqual(1, Note.all().count())

    def testGetAppliesTheWrite(self):
        key = Note(text=u"two").put()
        self.assertEqual(0, Note.all().count())
        self.assertEqual(u"two", db.get(key).text)
        self.assertEqual(1, Note.all().count())

    def testSetProbabilityToOne(self):
        self.policy.SetProbability(1)
        Note(text=u"three").put()
        self.assertEqual(1, Note.all().count())


class StrongAgainAfterTest(unittest.TestCase):
    # the next test, with the default policy, sees its writes at once

    def setUp(self):
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.testbed.init_datastore_v3_stub()

    def tearDown(self):
        self.testbed.deactivate()

    def testDefaultIsStrong(self):
        Note(text=u"four").put()
        self.assertEqual(1, Note.all().count())


class MasterSlaveTest(unittest.TestCase):

    def setUp(self):
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.testbed.init_datastore_v3_stub(
            consistency_policy=datastore_stub_util.MasterSlaveConsistencyPolicy())

    def tearDown(self):
        self.testbed.deactivate()

    def testStrong(self):
        Note(text=u"five").put()
        self.assertEqual(1, Note.all().count())
