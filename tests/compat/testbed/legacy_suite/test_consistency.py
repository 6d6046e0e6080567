# -*- coding: utf-8 -*-
# Eventual consistency, as legacy suites test it with PseudoRandomHRConsistencyPolicy.
import unittest

from google.appengine.datastore import datastore_stub_util
from google.appengine.ext import db
from google.appengine.ext import testbed


class ConsistencyNote(db.Model):
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
        ConsistencyNote(parent=parent, text=u"one").put()
        self.assertEqual(0, ConsistencyNote.all().count())
        # an ancestor query is strongly consistent and applies the write
        self.assertEqual(1, ConsistencyNote.all().ancestor(parent).count())
        self.assertEqual(1, ConsistencyNote.all().count())

    def testGetAppliesTheWrite(self):
        key = ConsistencyNote(text=u"two").put()
        self.assertEqual(0, ConsistencyNote.all().count())
        self.assertEqual(u"two", db.get(key).text)
        self.assertEqual(1, ConsistencyNote.all().count())

    def testSetProbabilityToOne(self):
        self.policy.SetProbability(1)
        ConsistencyNote(text=u"three").put()
        self.assertEqual(1, ConsistencyNote.all().count())


class StrongAgainAfterTest(unittest.TestCase):
    # the next test, with the default policy, sees its writes at once

    def setUp(self):
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.testbed.init_datastore_v3_stub()

    def tearDown(self):
        self.testbed.deactivate()

    def testDefaultIsStrong(self):
        ConsistencyNote(text=u"four").put()
        self.assertEqual(1, ConsistencyNote.all().count())


class MasterSlaveTest(unittest.TestCase):

    def setUp(self):
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.testbed.init_datastore_v3_stub(
            consistency_policy=datastore_stub_util.MasterSlaveConsistencyPolicy())

    def tearDown(self):
        self.testbed.deactivate()

    def testStrong(self):
        ConsistencyNote(text=u"five").put()
        self.assertEqual(1, ConsistencyNote.all().count())
