"""DB008 (queries): cursors returned with the page, with_cursor() in for loops and chained into fetch() (issue 13 family 2; semantic program f003)."""

from libcst.codemod import CodemodTest

from codemods.rules.db008_queries import QueriesRule

BEFORE = """
from google.appengine.ext import db

class Item(db.Model):
    rank = db.IntegerProperty()

def page(cursor=None, size=3):
    q = Item.all().order('rank')
    if cursor:
        q.with_cursor(cursor)
    items = q.fetch(size)
    return [i.rank for i in items], q.cursor()

def loop(c1, c2):
    seen = []
    q = Item.all().order('-rank')
    for item in q.with_cursor(c1):
        seen.append(item.rank)
    return seen, Item.all().order('rank').with_cursor(c2).fetch(2)
"""

AFTER = """
from google.appengine.ext import db
from compat import ndb_legacy
from google.cloud import ndb

class Item(db.Model):
    rank = db.IntegerProperty()

def page(cursor=None, size=3):
    q = Item.query().order(Item.rank)
    items, items_cursor, items_more = q.fetch_page(size, start_cursor=ndb.Cursor(urlsafe=cursor) if cursor else None)
    return [i.rank for i in items], ndb_legacy.websafe_cursor(items_cursor)

def loop(c1, c2):
    seen = []
    q = Item.query().order(-Item.rank)
    for item in q.iter(start_cursor=ndb.Cursor(urlsafe=c1) if c1 else None):
        seen.append(item.rank)
    return seen, Item.query().order(Item.rank).fetch(2, start_cursor=ndb.Cursor(urlsafe=c2) if c2 else None)
"""


class QueriesTest(CodemodTest):
    TRANSFORM = QueriesRule

    def test_cursor_shapes(self) -> None:
        self.assertCodemod(BEFORE, AFTER)


LOOP_BEFORE = """
from google.appengine.ext import db

class Item(db.Model):
    rank = db.IntegerProperty()

def ranks_then_cursor():
    q = Item.all().order('rank')
    for item in q.run(limit=2):
        pass
    after_run = q.cursor()
    q2 = Item.all()
    out = []
    for item in q2:
        out.append(item.rank)
        marks = q2.cursor()
    return after_run, marks, out
"""

LOOP_AFTER = """
from google.appengine.ext import db
from compat import ndb_legacy

class Item(db.Model):
    rank = db.IntegerProperty()

def ranks_then_cursor():
    q = Item.query().order(Item.rank)
    q_iter = q.iter(limit=2, produce_cursors=True)
    for item in q_iter:
        pass
    after_run = ndb_legacy.cursor_after(q_iter)
    q2 = Item.query()
    out = []
    q2_iter = q2.iter(produce_cursors=True)
    for item in q2_iter:
        out.append(item.rank)
        marks = ndb_legacy.cursor_after(q2_iter)
    return after_run, marks, out
"""


class CursorAfterLoopTest(CodemodTest):
    TRANSFORM = QueriesRule

    def test_cursor_after_a_loop_over_the_query(self) -> None:
        """``q.cursor()`` after (or inside) ``for e in q[.run(...)]``: the loop's iterator gives the cursor."""
        self.assertCodemod(LOOP_BEFORE, LOOP_AFTER)
