# -*- coding: utf-8 -*-
# memcache through the testbed, as legacy suites assert on it.
import unittest

from google.appengine.api import memcache
from google.appengine.ext import testbed


class MemcacheStubTest(unittest.TestCase):

    def setUp(self):
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.testbed.init_memcache_stub()

    def tearDown(self):
        self.testbed.deactivate()

    def testEachTestStartsEmpty(self):
        self.assertEqual(None, memcache.get("counter"))
        memcache.set("counter", 1)

    def testSetGetDelete(self):
        self.assertTrue(memcache.set("k", {"a": [1, 2]}))
        self.assertEqual({"a": [1, 2]}, memcache.get("k"))
        self.assertEqual(memcache.DELETE_SUCCESSFUL, memcache.delete("k"))
        self.assertEqual(memcache.DELETE_ITEM_MISSING, memcache.delete("k"))
        self.assertEqual(None, memcache.get("k"))

    def testValuesAreCopies(self):
        value = ["a"]
        memcache.set("list", value)
        value.append("b")
        self.assertEqual(["a"], memcache.get("list"))

    def testAddAndReplace(self):
        self.assertFalse(memcache.replace("k", 1))
        self.assertTrue(memcache.add("k", 1))
        self.assertFalse(memcache.add("k", 2))
        self.assertTrue(memcache.replace("k", 3))
        self.assertEqual(3, memcache.get("k"))

    def testIncrDecr(self):
        self.assertEqual(None, memcache.incr("hits"))
        self.assertEqual(10, memcache.incr("hits", initial_value=9))
        self.assertEqual(15, memcache.incr("hits", delta=5))
        self.assertEqual(0, memcache.decr("hits", delta=100))
        memcache.set("text", "41")
        self.assertEqual(42, memcache.incr("text"))
        memcache.set("word", "abc")
        self.assertEqual(None, memcache.incr("word"))
        self.assertRaises(ValueError, memcache.incr, "hits", -1)

    def testMulti(self):
        self.assertEqual([], memcache.set_multi({"a": 1, "b": 2}, key_prefix="p:"))
        self.assertEqual({"a": 1, "b": 2}, memcache.get_multi(["a", "b", "c"], key_prefix="p:"))
        self.assertEqual(["a"], memcache.add_multi({"a": 5, "c": 3}, key_prefix="p:"))
        self.assertEqual(1, memcache.get("p:a"))
        self.assertTrue(memcache.delete_multi(["a", "zz"], key_prefix="p:"))
        self.assertEqual({"b": 2, "c": 3}, memcache.get_multi(["a", "b", "c"], key_prefix="p:"))
        self.assertEqual({"b": 12, "n": None}, memcache.offset_multi({"b": 10, "n": 1}, key_prefix="p:"))

    def testNamespaces(self):
        memcache.set("k", "default")
        memcache.set("k", "other", namespace="ns1")
        self.assertEqual("default", memcache.get("k"))
        self.assertEqual("other", memcache.get("k", namespace="ns1"))

    def testCas(self):
        client = memcache.Client()
        client.set("k", 1)
        self.assertEqual(1, client.gets("k"))
        self.assertTrue(client.cas("k", 2))
        self.assertFalse(client.cas("k", 3))
        self.assertEqual(2, client.get("k"))

    def testDeleteLockBlocksAdd(self):
        memcache.set("k", 1)
        memcache.delete("k", seconds=30)
        self.assertFalse(memcache.add("k", 2))
        self.assertTrue(memcache.set("k", 3))

    def testLongKeysAreHashed(self):
        key = "x" * 300
        memcache.set(key, "long")
        self.assertEqual("long", memcache.get(key))

    def testBadKeyAndTooBigValue(self):
        self.assertRaises(TypeError, memcache.set, 42, "v")
        self.assertRaises(ValueError, memcache.set, "big", "x" * (1024 * 1024 + 1))

    def testFlushAndStats(self):
        memcache.set("a", "1")
        memcache.get("a")
        memcache.get("missing")
        stats = memcache.get_stats()
        self.assertEqual(1, stats["hits"])
        self.assertEqual(1, stats["misses"])
        self.assertEqual(1, stats["items"])
        self.assertTrue(memcache.flush_all())
        self.assertEqual(None, memcache.get("a"))
