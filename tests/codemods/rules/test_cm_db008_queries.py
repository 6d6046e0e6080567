"""DB008 (queries): all(), string filters and orders, counts, fetch, the cursor pattern."""

from libcst.codemod import CodemodTest

from codemods.rules.db008_queries import QueriesRule

from _rule_test_models import POST_MODELS as MODELS


class QueriesTest(CodemodTest):
    TRANSFORM = QueriesRule

    def test_filters_use_stored_names_and_operators(self) -> None:
        before = MODELS + """
def f(k, parent):
    q = Post.all().filter('t =', 'x').filter('tags IN', ['a']).filter('created >=', 1)
    q2 = db.Query(Post, keys_only=True).filter('__key__ >', k).order('-created')
    n = Post.all().ancestor(parent).filter('t', 'y').count()
    e = Bag.all().filter('colour !=', 'red').fetch(10, 20)
    return Post.all().run(limit=5)
"""
        after = MODELS + """
def f(k, parent):
    q = Post.query().filter(Post.title == 'x').filter(Post.tags.IN(['a'])).filter(Post.created >= 1)
    q2 = Post.query().filter(Post.key > k).order(-Post.created)
    n = Post.query(ancestor=parent).filter(Post.title == 'y').count(limit=1000)
    e = ndb_legacy.merged_by_key(Bag.query()).filter(ndb_legacy.not_equal(ndb.GenericProperty('colour'), 'red')).fetch(10, offset=20)
    return Post.query().iter(limit=5)
"""
        self.assertCodemod(before, after.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\nfrom google.cloud import ndb\n", 1))

    def test_undeclared_names_are_generic(self) -> None:
        """db ran a filter on a name the model does not declare against the datastore (matching nothing)."""
        before = MODELS + """
def f(field):
    return Post.all().filter('%s =' % field, 1).filter('nope =', 2)
"""
        after = MODELS.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\nfrom google.cloud import ndb\n") + """
def f(field):
    return Post.query().filter(ndb_legacy.filter_by(Post, '%s =' % field, 1)).filter(ndb.GenericProperty('nope') == 2)
"""
        self.assertCodemod(before, after)

    def test_cursor_pattern_becomes_fetch_page(self) -> None:
        before = MODELS + """
def page(cursor, n):
    q = Post.all().order('-created')
    if cursor:
        q.with_cursor(cursor)
    posts = q.fetch(n)
    next_cursor = q.cursor()
    return posts, next_cursor

def resume(c):
    q = Post.all()
    q.with_cursor(c)
    return_value = q.fetch(10)
"""
        after = MODELS + """
def page(cursor, n):
    q = Post.query().order(-Post.created)
    posts, posts_cursor, posts_more = q.fetch_page(n, start_cursor=ndb.Cursor(urlsafe=cursor) if cursor else None)
    next_cursor = ndb_legacy.websafe_cursor(posts_cursor)
    return posts, next_cursor

def resume(c):
    q = Post.query()
    return_value = q.fetch(10, start_cursor=ndb.Cursor(urlsafe=c) if c else None)
"""
        self.assertCodemod(before, after.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\nfrom google.cloud import ndb\n", 1))

    def test_cursor_call_inside_an_expression_and_gql_query(self) -> None:
        # GqlQuery's FROM names the model, so the query is known; q.cursor() sits in a conditional expression
        before = MODELS + """
def page(cursor=None):
    query = db.GqlQuery("SELECT * FROM Post ORDER BY created DESC, t")
    if cursor:
        query.with_cursor(cursor)
    posts = query.fetch(3)
    next_cursor = query.cursor() if len(posts) == 3 else None
    return posts, next_cursor

def twice(c):
    q = Post.all()
    q.with_cursor(c)
    posts = q.fetch(3)
    pair = (q.cursor(), q.count())
"""
        after = MODELS + """
def page(cursor=None):
    query = db.GqlQuery("SELECT * FROM Post ORDER BY created DESC, t")
    posts, posts_cursor, posts_more = query.fetch_page(3, start_cursor=ndb.Cursor(urlsafe=cursor) if cursor else None)
    next_cursor = ndb_legacy.websafe_cursor(posts_cursor) if len(posts) == 3 else None
    return posts, next_cursor

def twice(c):
    q = Post.query()
    posts = q.fetch(3, start_cursor=ndb.Cursor(urlsafe=c) if c else None)
    # TODO(db2ndb:DB008): cursors: use `results, cursor, more = q.fetch_page(n, start_cursor=ndb.Cursor(urlsafe=s))` and `cursor.urlsafe()`; ndb queries have no cursor()/with_cursor(). See docs/codemods.md#db008
    pair = (q.cursor(), q.count(limit=1000))
"""
        self.assertCodemod(before, after.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\nfrom google.cloud import ndb\n", 1))

    def test_queries_of_models_already_on_ndb_are_left_alone(self) -> None:
        # a file that mixes db and ndb: ndb's count() has no legacy limit to keep
        code = MODELS + """
from google.cloud import ndb

class Modern(ndb.Model):
    title = ndb.StringProperty()

def f():
    return Modern.query().count(), Modern.query().order('title').fetch(10, 20)
"""
        self.assertCodemod(code, code)

    def test_cursors_get_a_todo(self) -> None:
        before = MODELS + """
def f(c):
    q = Post.all()
    q.with_cursor(c)
"""
        after = MODELS + """
def f(c):
    q = Post.query()
    # TODO(db2ndb:DB008): cursors: use `results, cursor, more = q.fetch_page(n, start_cursor=ndb.Cursor(urlsafe=s))` and `cursor.urlsafe()`; ndb queries have no cursor()/with_cursor(). See docs/codemods.md#db008
    q.with_cursor(c)
"""
        self.assertCodemod(before, after)


class RunTimeStringsTest(CodemodTest):
    TRANSFORM = QueriesRule

    def test_strings_read_at_run_time_and_lists_that_may_be_empty(self) -> None:
        """Filter strings built at run time, names a model lacks in orders, IN on a list that may be empty."""
        before = MODELS + """
def f(field, ids, sort):
    a = Post.all().filter('%s =' % field, 1).filter('t ~', 'x')
    b = Post.all().filter('t IN', ids).filter('t IN', ['a'])
    c = Post.all().order('-nope').order(sort)
    return a, b, c
"""
        after = MODELS.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\n") + """
def f(field, ids, sort):
    a = Post.query().filter(ndb_legacy.filter_by(Post, '%s =' % field, 1)).filter(ndb_legacy.filter_by(Post, 't ~', 'x'))
    b = ndb_legacy.merged_by_key(Post.query()).filter(ndb_legacy.IN(Post.title, ids)).filter(Post.title.IN(['a']))
    c = Post.query().order(ndb_legacy.order_by(Post, '-nope')).order(sort)
    return a, b, c
"""
        self.assertCodemod(before, after)
