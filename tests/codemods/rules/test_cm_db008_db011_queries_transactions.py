"""DB008 (queries), DB009 (mutable queries), DB010 (GQL), DB011 (transactions)."""

from libcst.codemod import CodemodTest

from codemods.rules.db008_queries import QueriesRule
from codemods.rules.db009_mutable_queries import MutableQueriesRule
from codemods.rules.db010_gql import GqlRule
from codemods.rules.db011_transactions import TransactionsRule

MODELS = """
from google.appengine.ext import db

class Post(db.Model):
    title = db.StringProperty(name='t')
    tags = db.StringListProperty()
    created = db.DateTimeProperty()

class Bag(db.Expando):
    pass
"""


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
    e = Bag.query().filter(ndb_legacy.not_equal(ndb.GenericProperty('colour'), 'red')).fetch(10, offset=20)
    return Post.query().iter(limit=5)
"""
        self.assertCodemod(before, after.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\nfrom google.cloud import ndb\n", 1))

    def test_runtime_filter_strings_and_unknown_properties_get_todos(self) -> None:
        before = MODELS + """
def f(field):
    return Post.all().filter('%s =' % field, 1).filter('nope =', 2)
"""
        after = MODELS + """
def f(field):
    # TODO(db2ndb:DB008): `Post.all().filter('%s =' % field, 1)`: the filter string is built at run time; write `Model.prop <op> value` (ndb rejects strings). See docs/codemods.md#db008
    # TODO(db2ndb:DB008): `Post.all().filter('%s =' % field, 1).filter('nope =', 2)`: no property stored as 'nope'; write `Model.nope == value`. See docs/codemods.md#db008
    return Post.query().filter('%s =' % field, 1).filter('nope =', 2)
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
    next_cursor = posts_cursor.urlsafe() if posts_cursor else None
    return posts, next_cursor

def resume(c):
    q = Post.query()
    return_value = q.fetch(10, start_cursor=ndb.Cursor(urlsafe=c) if c else None)
"""
        self.assertCodemod(before, after.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom google.cloud import ndb\n", 1))

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
    next_cursor = (posts_cursor.urlsafe() if posts_cursor else None) if len(posts) == 3 else None
    return posts, next_cursor

def twice(c):
    q = Post.query()
    posts = q.fetch(3, start_cursor=ndb.Cursor(urlsafe=c) if c else None)
    # TODO(db2ndb:DB008): cursors: use `results, cursor, more = q.fetch_page(n, start_cursor=ndb.Cursor(urlsafe=s))` and `cursor.urlsafe()`; ndb queries have no cursor()/with_cursor(). See docs/codemods.md#db008
    pair = (q.cursor(), q.count(limit=1000))
"""
        self.assertCodemod(before, after.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom google.cloud import ndb\n", 1))

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


class MutableQueriesTest(CodemodTest):
    TRANSFORM = MutableQueriesRule

    def test_discarded_filter_becomes_reassignment(self) -> None:
        before = MODELS + """
def f():
    q = Post.all()
    q.filter('t =', 'x')
    q.order('-created')  # newest first
    return q
"""
        after = MODELS + """
def f():
    q = Post.all()
    q = q.filter('t =', 'x')
    q = q.order('-created')  # newest first
    return q
"""
        self.assertCodemod(before, after)

    def test_parameter_query_is_flagged(self) -> None:
        before = MODELS + """
def narrow(q):
    q.filter('t =', 'x')
"""
        after = MODELS + """
def narrow(q):
    q.filter('t =', 'x')
"""
        # q is a parameter: its type is unknown, so nothing is rewritten
        self.assertCodemod(before, after)

    def test_other_filter_methods_untouched(self) -> None:
        code = """
            items = [1, 2]
            filter(None, items)
            queryset.filter(x=1)
        """
        self.assertCodemod(code, code)


class GqlTest(CodemodTest):
    TRANSFORM = GqlRule

    def test_gqlquery_and_subclass(self) -> None:
        before = """
            from google.appengine.ext import db
            q = db.GqlQuery('SELECT * FROM Post WHERE t = :1', 'x')

            class Mine(db.GqlQuery):
                pass
        """
        after = """
            from google.appengine.ext import db
            from google.cloud import ndb

            q = ndb.gql('SELECT * FROM Post WHERE t = :1', 'x')

            # TODO(db2ndb:DB010): class Mine extends db.GqlQuery; ndb.gql() is a function returning an ndb.Query: wrap it (composition) instead of subclassing. See docs/codemods.md#db010
            class Mine(db.GqlQuery):
                pass
        """
        self.assertCodemod(before, after)


class TransactionsTest(CodemodTest):
    TRANSFORM = TransactionsRule

    def test_runners_and_decorators(self) -> None:
        before = """
            from google.appengine.ext import db

            @db.transactional
            def a(x):
                return db.is_in_transaction()

            @db.transactional(xg=True, retries=2)
            def b():
                pass

            @db.non_transactional
            def c():
                pass

            db.run_in_transaction(a, 1)
            db.run_in_transaction(b)
            db.run_in_transaction_custom_retries(5, a, x)
            db.run_in_transaction_options(db.create_transaction_options(xg=True, retries=1), a, 2)
            opts = db.create_transaction_options(retries=4)
            db.run_in_transaction_options(opts, a, compute())
        """
        after = """
            from google.appengine.ext import db
            import functools
            from compat import ndb_legacy
            from google.cloud import ndb

            @ndb.transactional()
            def a(x):
                return ndb.in_transaction()

            @ndb.transactional(xg=True, retries=2)
            def b():
                pass

            @ndb.non_transactional()
            def c():
                pass

            ndb_legacy.transaction(lambda: a(1))
            ndb_legacy.transaction(b)
            ndb_legacy.transaction(lambda: a(x), retries=5)
            ndb_legacy.transaction(lambda: a(2), xg=True, retries=1)
            opts = dict(retries=4)
            ndb_legacy.transaction(functools.partial(a, compute()), **opts)
        """
        self.assertCodemod(before, after)

    def test_propagation_is_flagged(self) -> None:
        before = """
            from google.appengine.ext import db

            @db.transactional(propagation=db.ALLOWED)
            def a():
                pass
        """
        after = """
            from google.appengine.ext import db

            # TODO(db2ndb:DB011): `propagation=` raises in ndb; nested transactions are refused. Restructure the call. See docs/codemods.md#db011
            @db.transactional(propagation=db.ALLOWED)
            def a():
                pass
        """
        self.assertCodemod(before, after)
