"""Filter strings, operands, orders and GQL at their edges (what legacy answered, raised or returned empty)."""
import datetime

from google.appengine.api import users
from google.appengine.ext import db


class Author(db.Model):
    name = db.StringProperty()


class Story(db.Model):
    title = db.StringProperty()
    n = db.IntegerProperty()
    score = db.FloatProperty()
    flag = db.BooleanProperty()
    tags = db.StringListProperty()
    author = db.ReferenceProperty(Author)
    published = db.DateTimeProperty()
    day = db.DateProperty()
    at = db.TimeProperty()
    body = db.TextProperty()
    raw = db.BlobProperty()
    note = db.StringProperty(indexed=False)
    renamed = db.StringProperty(name='stored_name')
    owner = db.UserProperty()


class Ünïcode(db.Expando):
    pass


def _ns(results):
    return sorted(story.n for story in results)


FILTER_STRINGS = ['n =', 'n ==', 'n', 'n=', 'n==', 'n>', 'n >', 'n <', 'n <=', 'n >=', 'n !=', 'n IN', 'n in',
                  'n In', '  n   >=  ', '\tn\t=', 'n <>', 'n ~', 'n is', 'n = x', 'two words =', '', '   ', '=',
                  '>=', ' = ', 'n >>', 'stored_name =', 'renamed =', 'nope =', '__key__ =', 'body =', 'raw =',
                  'note =', 'tags =', None, 5, b'n =']

OPERANDS = [('int', 3), ('str', '3'), ('float', 3.0), ('bool', True), ('none', None), ('list', [3]),
            ('tuple', (3, 4)), ('text', db.Text('x')), ('blob', db.Blob(b'x')), ('date', datetime.date(2020, 1, 3)),
            ('time', datetime.time(3)), ('user', users.User('ann@example.com')), ('object', object()),
            ('long_str', 'x' * 2000), ('key', db.Key.from_path('Story', 's3'))]

GQL = [
    "SELECT * FROM Story WHERE n = 3",
    "SELECT * FROM Story WHERE n = '3'",
    "SELECT * FROM Story WHERE title = 'a'' AND n > ''b'",
    "SELECT * FROM Story WHERE title = ' AND n > '",
    "SELECT * FROM Story WHERE title = '%s'" % ('x' * 2000),
    "SELECT * FROM Story WHERE title > '%s'" % ('x' * 2000),
    "SELECT * FROM Story WHERE title < '%s'" % ('t' * 1600),
    "SELECT * FROM Story WHERE body = 'x'",
    "SELECT * FROM Story ORDER BY body",
    "SELECT body FROM Story",
    "SELECT * FROM Story WHERE note = 'x'",
    "SELECT * FROM Story ORDER BY note",
    "SELECT * FROM Story WHERE owner = USER('ann@example.com')",
    "SELECT * FROM Story WHERE title = USER('ann@example.com')",
    "SELECT * FROM Story WHERE ANCESTOR IS 'garbage'",
    "SELECT * FROM Story WHERE ANCESTOR IS KEY('garbage')",
    "SELECT * FROM Story WHERE ANCESTOR IS KEY('Story', 's1')",
    "SELECT * FROM Story WHERE __key__ = KEY('garbage')",
    "SELECT * FROM Story WHERE " + " AND ".join("n = %d" % i for i in range(100)),
    "SELECT * FROM Story WHERE " + " AND ".join("n = %d" % i for i in range(101)),
    "SELECT * FROM Story WHERE " + " AND ".join("n = %d" % i for i in range(200)),
    "SELECT * FROM \u00dcn\u00efcode",
    "SELECT * FROM \u00dcn\u00efcode WHERE pr\u00f8p = 5",
    'SELECT * FROM \u00dcn\u00efcode WHERE "pr\u00f8p" = 5',
    "SELECT * FROM Story WHERE n <> 1",
    "SELEKT * FROM Story",
    "",
    "SELECT * FROM Nope",
    "SELECT * FROM Story LIMIT -1",
    "SELECT * FROM Story WHERE n IN (1, 3, 5)",
    "SELECT * FROM Story WHERE n != 3",
    "SELECT * FROM Story WHERE published > DATETIME('garbage')",
    "SELECT * FROM Story WHERE day = DATE(2020, 1, 3)",
    "SELECT * FROM Story ORDER BY nope",
    "SELECT nope FROM Story",
]


def run(observe):
    author = Author(key_name='ann', name='Ann')
    author.put()
    for n in range(5):
        Story(key_name='s%d' % n, n=n, title='t%d' % n, score=n / 2.0, flag=bool(n % 2), tags=['t', str(n)],
              author=author if n < 2 else None, published=datetime.datetime(2020, 1, 1 + n),
              day=datetime.date(2020, 1, 1 + n), at=datetime.time(n), body=db.Text('x') if n else None,
              note='x', renamed='r%d' % n, owner=users.User('ann@example.com') if n == 1 else None).put()
    child = Story(key_name='child', parent=db.Key.from_path('Story', 's1'), n=10)
    child.put()
    odd = Ünïcode()
    setattr(odd, 'pr\u00f8p', 5)
    odd.put()
    for text in FILTER_STRINGS:
        observe.error('filter/%r' % (text,), lambda: _ns(Story.all().filter(text, 3)))
    for label, value in OPERANDS:
        for prop in ('n', 'title', 'day', 'at', 'author', 'owner', 'tags', 'body', 'undeclared'):
            observe.error('operand/%s/%s' % (prop, label), lambda: _ns(Story.all().filter(prop + ' =', value)))
        observe.error('operand/in/%s' % label, lambda: _ns(Story.all().filter('n IN', value)))
    for order in ['n', '-n', '', '-', ' ', 'nope', '__key__', '-__key__', 'body', 'note', 'raw', 'stored_name',
                  'renamed', None, 5]:
        observe.error('order/%r' % (order,), lambda: [s.n for s in Story.all().order(order).fetch(10)])
    for index, text in enumerate(GQL):
        observe.error('gql/%d' % index, lambda: _ns(db.GqlQuery(text)))
    observe.error('gql_param_ancestor_garbage', lambda: _ns(db.GqlQuery(
        'SELECT * FROM Story WHERE ANCESTOR IS :1', 'garbage')))
    observe.error('gql_param_ancestor_int', lambda: _ns(db.GqlQuery('SELECT * FROM Story WHERE ANCESTOR IS :1', 5)))
    observe.error('gql_param_ancestor_string', lambda: _ns(db.GqlQuery(
        'SELECT * FROM Story WHERE ANCESTOR IS :1', str(db.Key.from_path('Story', 's1')))))
    query = Story.all()
    for i in range(200):
        query.filter('n =', i)
    observe.error('200_filters', lambda: _ns(query))
    query = Story.all()
    for i in range(100):
        query.filter('n =', i)
    observe.error('100_filters', lambda: _ns(query))
    observe.error('100_filters_and_order', lambda: _ns(query.order('n')))
    observe.error('gql_syntax_is_bad_query', lambda: db.GqlQuery('SELECT'))
    observe.error('kindless_filter', lambda: list(db.Query().filter('n =', 1)))
    observe.error('kindless_key_order_desc', lambda: list(db.Query().order('-__key__')))
    observe.error('ne_and_in_order_by_key', lambda: [s.n for s in Story.all().filter('n !=', 2)])
    observe.error('in_unordered', lambda: [s.n for s in Story.all().filter('title IN', ['t3', 't1', 't4'])])
    observe.error('ne_fetch', lambda: [s.n for s in Story.all().filter('title !=', 't1').fetch(3)])
