# -*- coding: utf-8 -*-
# setup_env and the users API, the way legacy suites log a user in.
import os
import unittest

from google.appengine.api import namespace_manager
from google.appengine.api import users
from google.appengine.ext import testbed


class EnvTest(unittest.TestCase):

    def setUp(self):
        self.saved = os.environ.get("MY_SETTING")
        self.testbed = testbed.Testbed()
        self.testbed.activate()
        self.testbed.init_user_stub()

    def tearDown(self):
        self.testbed.deactivate()

    def testDefaults(self):
        self.assertEqual("gmail.com", os.environ["AUTH_DOMAIN"])
        self.assertEqual("testbed.example.com", os.environ["SERVER_NAME"])
        self.assertEqual(None, users.get_current_user())

    def testLoggedInUser(self):
        self.testbed.setup_env(user_email="taro@example.com", user_id="123", user_is_admin="1",
                               overwrite=True)
        user = users.get_current_user()
        self.assertEqual("taro@example.com", user.email())
        self.assertEqual("123", user.user_id())
        self.assertTrue(users.is_current_user_admin())

    def testCustomVariableIsRestored(self):
        self.testbed.setup_env(my_setting="on")
        self.assertEqual("on", os.environ["MY_SETTING"])
        self.testbed.deactivate()
        self.assertEqual(self.saved, os.environ.get("MY_SETTING"))
        self.testbed.activate()

    def testNamespaceIsResetOnDeactivate(self):
        namespace_manager.set_namespace("tenant-a")
        self.testbed.deactivate()
        self.testbed.activate()
        self.assertEqual("", namespace_manager.get_namespace())
