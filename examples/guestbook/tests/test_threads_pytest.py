# -*- coding: utf-8 -*-
# The same testbed in a pytest-style module: a fixture instead of setUp/tearDown.
import pytest

from google.appengine.ext import testbed

import logic
from models import Post


@pytest.fixture
def bed():
    bed = testbed.Testbed()
    bed.activate()
    bed.init_datastore_v3_stub()
    bed.init_memcache_stub()
    yield bed
    bed.deactivate()


def test_posts_of_a_thread_come_in_date_order(bed):
    thread = logic.create_thread("taro", u"花見の計画", u"first")
    logic.add_post(thread.key(), "hanako", u"second")
    logic.add_post(thread.key(), "jiro", u"third")
    posts = logic.thread_posts(thread)
    assert [p.body for p in posts] == [u"first", u"second", u"third"]
    assert Post.all().ancestor(thread.key()).count() == 3
