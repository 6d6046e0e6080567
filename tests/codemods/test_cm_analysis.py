"""The project index (cross-file models) and the conservative type inference."""

from libcst.codemod import CodemodTest

from codemods.analysis.index import ProjectIndex, summarize_module
from codemods.rules.db005_keys import KeysRule


def _index(**modules) -> ProjectIndex:
    index = ProjectIndex()
    for name, source in modules.items():
        dotted = name.replace("__", ".")
        package = dotted.rpartition(".")[0]
        index.add(summarize_module(source, dotted, package))
    return index


BASE = """
from google.appengine.ext import db

class Base(db.Model):
    created = db.DateTimeProperty()

    @classmethod
    def kind(cls):
        return 'Thing'
"""
BLOG = """
from .base import *

class Post(Base):
    title = db.StringProperty(name='t')
    author = db.ReferenceProperty(Base, collection_name='written')

class Helper(object):
    pass
"""


def test_models_resolve_across_files_star_imports_and_relative_imports():
    index = _index(app__base=BASE, app__blog=BLOG, app__views="from app.blog import Post as P\n")
    post = index.model(index.resolve("app.views.P"))
    assert post is not None and post.qualname == "app.blog.Post" and post.flavor == "db"
    assert set(post.properties) == {"created", "title", "author"}
    assert post.property_by_stored_name("t").attr == "title"
    assert post.properties["author"].is_reference and post.properties["author"].reference == "app.base.Base"
    assert index.model("app.base.Base").kind == "Thing"
    assert index.model("app.blog.Helper") is None
    assert index.back_reference("app.base.Base", "written") == ("app.blog.Post", "author")


def test_module_found_by_unique_suffix():
    index = _index(src__app__models=BASE)
    assert index.find_module("app.models").name == "src.app.models"
    assert index.find_module("models").name == "src.app.models"


def test_star_exports_respect___all__():
    index = _index(a="from google.appengine.ext import db\n__all__ = ['x']\nx = 1\n", b="from a import *\n")
    assert index.star_export("b", "x") == "a.x"
    assert index.star_export("b", "db") is None


class InferenceTest(CodemodTest):
    """Inference is observed through DB005, which rewrites ``e.key()`` only on known entities."""

    TRANSFORM = KeysRule

    MODELS = """
from google.appengine.ext import db

class Post(db.Model):
    def url(self):
        return '/p/%s' % self.key().name()
"""

    def check(self, body_before: str, body_after: str) -> None:
        converted = self.MODELS.replace("self.key().name()", "self.key.string_id()")
        self.assertCodemod(self.MODELS + body_before, converted + body_after)

    def test_self_in_model_methods(self) -> None:
        self.assertCodemod(
            self.MODELS, self.MODELS.replace("self.key().name()", "self.key.string_id()")
        )

    def test_tuple_unpacking_enumerate_and_zip(self) -> None:
        before = """
def f(names):
    for i, post in enumerate([Post(), Post()]):
        post.key()
    for name, p in zip(names, Post.all().fetch(2)):
        p.key()
    (a, b) = (Post(), 3)
    a.key()
"""
        self.check(before, before.replace(".key()", ".key"))

    def test_appended_lists_and_self_referencing_loops(self) -> None:
        before = """
def f():
    posts = []
    for n in range(3):
        post = Post()
        posts.append(post)
    for post in posts[:2]:
        post.key()
"""
        self.check(before, before.replace("post.key()", "post.key"))

    def test_optional_values_keep_their_type(self) -> None:
        # `x if c else None` and `a or b`: where the value is used it is the entity (None had no key() in db either)
        before = """
def f(flag, other):
    x = Post() if flag else None
    x.key()
    y = None or Post()
    y.key()
"""
        self.check(before, before.replace(".key()", ".key"))

    def test_isinstance_branches_narrow_a_name(self) -> None:
        before = """
def f(value):
    if isinstance(value, db.Model):
        value.key()
    elif isinstance(value, Post):
        return value.key()
    value.key()
"""
        after = before.replace("        value.key()", "        value.key").replace("return value.key()", "return value.key")
        self.check(before, after)

    def test_sort_key_lambdas_get_the_items_type(self) -> None:
        before = """
def f():
    posts = Post.all().fetch(5)
    a = sorted(posts, key=lambda p: p.key())
    b = max([Post(), Post()], key=lambda p: p.key())
    posts.sort(key=lambda p: p.key())
    return sorted(names, key=lambda p: p.key())
"""
        after = before.replace("lambda p: p.key())\n    b", "lambda p: p.key)\n    b").replace(
            "Post()], key=lambda p: p.key())", "Post()], key=lambda p: p.key)").replace(
            "posts.sort(key=lambda p: p.key())", "posts.sort(key=lambda p: p.key)")
        self.check(before, after)

    def test_conflicting_assignments_and_parameters_stay_unknown(self) -> None:
        code = """
def f(post, flag):
    post.key()
    x = Post() if flag else None
    y = Post()
    y = 'not a post'
    y.key()
    for z in some_list:
        z.key()
"""
        self.check(code, code)


# -- inter-procedural: Program ------------------------------------------------------------
MODELS = """
from google.appengine.ext import db

class Author(db.Model):
    name = db.StringProperty()

class Thread(db.Model):
    author = db.ReferenceProperty(Author, collection_name='threads')

class Post(db.Model):
    thread = db.ReferenceProperty(Thread, collection_name='posts')
"""
LOGIC = """
from google.appengine.ext import db
from models import Author, Thread

def author_for(name):
    return Author.get_or_insert('a:' + name, name=name)

def create(name):
    thread = Thread(author=author_for(name))
    thread.put()
    return thread

def find(key_string):
    try:
        thread = Thread.get(key_string)
    except db.BadKeyError:
        return None
    return thread

def listing(cursor=None):
    query = db.GqlQuery("SELECT * FROM Thread ORDER BY title")
    threads = query.fetch(3)
    return threads, query.cursor()

def posts_of(thread):
    return thread.posts.fetch(10)

def add(thread_key, note=None, count=3, *rest):
    return db.get(thread_key)

def walk(thread, depth):
    if depth:
        return walk(thread, depth - 1)
    return thread

def callback(key):
    return key

def numbers():
    yield Author()

@cache
def cached(name):
    return Author()

@db.transactional
def in_txn(key):
    return db.get(key)

def bump(key, by=1):
    return db.get(key)
"""
APP = """
from google.appengine.ext import db
import logic
from logic import add, walk as descend

def handle(path):
    parts = path.split('/')
    thread = logic.find(parts[2])
    add(thread.key(), None)
    add(logic.create('x').key(), note='n')
    threads, cursor = logic.listing()
    descend(threads[0], 3)
    logic.posts_of(thread)
    logic.in_txn(thread.key())
    return map(logic.callback, [])

def bumped(thread):
    # a transaction runner calls its callback with the other arguments
    db.run_in_transaction_custom_retries(3, logic.bump, thread.key(), by=2)
    return db.run_in_transaction(logic.bump, thread.key())

def caller():
    bumped(logic.create('y'))
"""


def _program(**modules):
    return _index(**modules).program


def test_return_types_follow_functions_across_files():
    from codemods.analysis.types import EntityT, ListT, TupleT

    program = _program(models=MODELS, logic=LOGIC, app=APP)
    assert program.return_type("logic.author_for") == EntityT("models.Author")
    assert program.return_type("logic.create") == EntityT("models.Thread")
    # `return None` does not count: an Optional result is still a Thread where it is used
    assert program.return_type("logic.find") == EntityT("models.Thread")
    # GQL's FROM names the model; a tuple result keeps each position's type
    listing = program.return_type("logic.listing")
    assert isinstance(listing, TupleT) and listing.items[0] == ListT(EntityT("models.Thread"))
    # a back-reference is a query of the referring model
    assert program.return_type("logic.posts_of") == ListT(EntityT("models.Post"))
    assert program.return_type("logic.numbers") is None  # a generator
    assert program.return_type("logic.cached") is None  # an unknown decorator may change the result
    assert program.return_type("logic.in_txn") == EntityT("models.Thread")
    assert program.return_type("logic.nope") is None


def test_parameter_types_come_from_every_call_site():
    from codemods.analysis.types import EntityT, KeyT, NumberT, StrT

    program = _program(models=MODELS, logic=LOGIC, app=APP)
    # path.split('/')[2] is a str: Thread.get(str) decodes a key
    assert program.param_type("logic.find", "key_string") == StrT()
    # both calls pass a Thread key (through `import logic` and `from logic import add`)
    assert program.param_type("logic.add", "thread_key") == KeyT(model="models.Thread")
    assert program.return_type("logic.add") == EntityT("models.Thread")
    assert program.param_type("logic.add", "note") == StrT()  # None arguments are ignored
    assert program.param_type("logic.add", "count") == NumberT()  # the default where a call leaves it out
    assert program.param_type("logic.add", "rest") is None
    # the recursive call adds nothing (optimistic), the other passes a Thread from a tuple result
    assert program.param_type("logic.walk", "thread") == EntityT("models.Thread")
    assert program.return_type("logic.walk") == EntityT("models.Thread")
    assert program.param_type("logic.posts_of", "thread") == EntityT("models.Thread")
    assert program.param_type("logic.callback", "key") is None  # passed as a value: callers unknown
    assert program.param_type("logic.author_for", "name") == StrT()
    assert program.param_type("logic.listing", "cursor") is None  # only its None default
    assert program.param_type("logic.bump", "key") == KeyT(model="models.Thread")
    assert program.param_type("logic.bump", "by") == NumberT()
    assert program.return_type("app.bumped") == EntityT("models.Thread")


def test_parameters_stay_unknown_when_a_call_is_unclear():
    from codemods.analysis.types import KeyT

    program = _program(models=MODELS, logic=LOGIC, app=APP + "\ndef more(args, ks):\n    add(*args)\n")
    assert program.param_type("logic.add", "thread_key") is None  # *args
    program = _program(models=MODELS, logic=LOGIC, app=APP + "\ndef more(k):\n    add(k)\n")
    assert program.param_type("logic.add", "thread_key") is None  # an unknown argument
    program = _program(models=MODELS, logic=LOGIC, app=APP + "\ndef more():\n    add(db_key())\n    add = 1\n")
    assert program.param_type("logic.add", "thread_key") == KeyT(model="models.Thread")  # a local `add` is not it


def test_split_heuristic_skips_module_functions():
    from codemods.analysis.types import StrT

    source = "import os\n\ndef f(a):\n    return a\n\ndef g(p):\n    f(os.path.split(p)[0])\n"
    assert _program(m=source).param_type("m.f", "a") is None
    source = "def f(a):\n    return a\n\ndef g(p):\n    f(p.rsplit('/', 1)[-1])\n"
    assert _program(m=source).param_type("m.f", "a") == StrT()


def test_very_long_chains_are_unknown_not_a_recursion_error():
    from codemods.analysis.types import EntityT

    source = "from google.appengine.ext import db\n\nclass M(db.Model):\n    pass\n\ndef f0():\n    return M()\n"
    source += "".join(f"\ndef f{i}():\n    x = f{i - 1}()\n    return x\n" for i in range(1, 600))
    program = _program(m=source)
    assert program.return_type("m.f599") is None
    assert program.return_type("m.f5") == EntityT("m.M")


def test_a_function_rebound_through_global_is_not_followed():
    source = ("from google.appengine.ext import db\n\nclass M(db.Model):\n    pass\n\n"
              "def make():\n    return M()\n\ndef patch():\n    global make\n    make = lambda: None\n")
    assert _program(m=source).return_type("m.make") is None


def test_global_at_module_level_changes_nothing():
    from codemods.analysis.types import EntityT

    source = ("from google.appengine.ext import db\nglobal make\n\nclass M(db.Model):\n    pass\n\n"
              "def make():\n    return M()\n")
    assert _program(m=source).return_type("m.make") == EntityT("m.M")


def test_a_runner_handed_on_with_its_arguments_is_a_call_site():
    """``helper(db.run_in_transaction, f, key)`` (assertRaises, partial, ...) runs ``f(key)``."""
    from codemods.analysis.types import KeyT

    app = APP + "\ndef checked(test):\n    test.assertRaises(ValueError, db.run_in_transaction, logic.bump, logic.create('z').key())\n"
    program = _program(models=MODELS, logic=LOGIC, app=app)
    assert program.param_type("logic.bump", "key") == KeyT(model="models.Thread")
    app = APP + "\ndef handed(test):\n    test.later(db.run_in_transaction, logic.bump, object())\n"
    assert _program(models=MODELS, logic=LOGIC, app=app).param_type("logic.bump", "key") is None


def test_a_reference_to_a_base_class_is_a_back_reference_of_its_subclasses():
    index = _index(models="""
from google.appengine.ext import db
from google.appengine.ext.db import polymodel

class Party(polymodel.PolyModel):
    name = db.StringProperty()

class Company(Party):
    pass

class Invoice(db.Model):
    to = db.ReferenceProperty(Party, collection_name='invoices')
""")
    assert index.back_reference("models.Company", "invoices") == ("models.Invoice", "to")
    assert index.back_reference("models.Party", "invoices") == ("models.Invoice", "to")
    assert index.back_reference("models.Company", "nothing") is None


# -- one fact store: the per-file view reads Program's facts ---------------------------------
SCOPES = '''
import functools

@functools.wraps(lambda: 1)
def f(a=lambda x: x, b=[i for i in range(2)]):
    g = lambda: [j for j in (lambda: [k for k in a()])()]
    return {k: v for k, v in b}, {s for s in b}, (t for t in b)

if a:
    def f():
        return [y for y in (1, 2)] + [z for z in (3, 4)]
else:
    class f(object):
        z = (lambda: 1) if a else (lambda: 2)

        def m(self, q=lambda: 3):
            def inner():
                return lambda: [w for w in q()]
            return inner

x = sorted([], key=lambda p: p), [lambda: 0 for _ in ()]
'''


def test_scope_paths_name_the_same_nodes_in_libcst_and_ast():
    """Every def / lambda / class / comprehension of libcst's tree finds its ``ast`` twin (same kind, name, place)."""
    import ast

    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from codemods.analysis.inference import TypeEngine, _SCOPE_KINDS
    from codemods.analysis.metadata import resolve

    index = _index(m=SCOPES)
    resolved = resolve(cst.parse_module(SCOPES))
    engine = TypeEngine(scopes=resolved.scopes, qualified=resolved.qualified, bounds=resolved.bounds, index=index,
                        module_name="m", wrapper=resolved.wrapper)
    positions = MetadataWrapper(resolved.wrapper.module, unsafe_skip_copy=True).resolve(PositionProvider)
    view = index.program.view("m")
    twins = set()
    for node in engine.parents:
        if type(node) not in _SCOPE_KINDS:
            continue
        twin = view.scope_by_path(engine._scope_path(node))
        assert twin is not None, cst.Module([]).code_for_node(node)
        start = positions[node].start
        if isinstance(node, cst.FunctionDef | cst.ClassDef):
            assert twin.node.name == node.name.value
            start = positions[node.name].start  # ast places a decorated def at its `def` line
        assert type(twin.node).__name__ == type(node).__name__  # libcst names its nodes as ast does
        assert twin.node.lineno == start.line
        twins.add(id(twin))
    assert len(twins) == 25  # each of the 25 scope nodes its own twin
    assert isinstance(view.tree, ast.Module)


def test_program_knows_what_the_per_file_view_used_to_infer_alone():
    """Appended lists, sort keys, isinstance tests, enumerate / zip: facts of Program, so functions return them too."""
    from codemods.analysis.types import EntityT, KeyT, ListT

    source = MODELS + """
def appended():
    posts = []
    for n in range(3):
        posts.append(Post())
    return posts

def keys_sorted(posts):
    return sorted(posts, key=lambda p: p.key())[0]

def narrowed(value):
    if isinstance(value, Thread):
        return value
    return None

def key_of_a_model(value):
    if isinstance(value, db.Key):
        return value

def enumerated():
    for i, post in enumerate(appended()):
        return post

def zipped(names):
    for name, thread in zip(names, Thread.all().fetch(2)):
        return thread
"""
    program = _program(m=source)
    assert program.return_type("m.appended") == ListT(EntityT("m.Post"))
    assert program.return_type("m.narrowed") == EntityT("m.Thread")
    assert program.return_type("m.key_of_a_model") == KeyT()
    assert program.return_type("m.enumerated") == EntityT("m.Post")
    assert program.return_type("m.zipped") == EntityT("m.Thread")
    # keys_sorted's parameter has no call site: its lambda's `p` stays unknown, and so does its result
    assert program.return_type("m.keys_sorted") is None


class ViewTest(CodemodTest):
    """The per-file view finds Program's scope for nodes in lambdas, comprehensions and redefined functions."""

    TRANSFORM = KeysRule

    def test_nodes_in_nested_and_redefined_scopes(self) -> None:
        before = MODELS + """
if flag:
    def make():
        return [p.key() for p in Post.all()]
else:
    def make(p=lambda: Post()):
        return p().key(), (lambda q: q.key())(1), [t.key() for t in Thread.all()]

class Handler(object):
    def get(self):
        posts = Post.all().fetch(5)

        def inner():
            return [(lambda: p.key()) for p in posts]
        return sorted(posts, key=lambda e: e.key())
"""
        after = before.replace("p.key()", "p.key").replace(
            "t.key()", "t.key").replace("e.key()", "e.key")
        self.assertCodemod(before, after)


def test_ast_twins_of_libcst_expressions_are_what_ast_parse_reads():
    """The per-file view's twins (built from libcst fields, or printed and parsed) equal Python's own reading."""
    import ast

    import libcst as cst

    from codemods.analysis.cst_to_ast import AstOfCst

    expressions = [
        "a.b.c(d, *e, f=1, **g)[h:i:j]", "x[1, 2:3]", "'%s' % (y,) + b'z' + 'a' 'b'", "0x10 + 1.5 - 2j",
        "[p.key() for p in q if p for (r, [s, *t]) in u]", "{k for k in v}", "(w for w in z)",
        "{a: b for a, b in c}", "a or b and not c", "a if b else None", "sorted(xs, key=lambda x: x.key())",
        "(yield)", "[*a, b]", "(True, False, None)", "a < b", "-a", "f(x for x in y)",
    ]
    for text in expressions:
        module = cst.parse_module(f"({text})\n")
        node = module.body[0].body[0].value
        twin = AstOfCst(module).expression(node)
        expected = ast.parse(f"({text})", mode="eval").body
        assert ast.dump(twin) == ast.dump(expected), text
    # dict displays and f-strings keep only what the inference reads: their kind
    module = cst.parse_module("({1: f'{x}'}, f'{y}' 'z')\n")
    twin = AstOfCst(module).expression(module.body[0].body[0].value)
    expected = ast.Tuple(elts=[ast.Dict(keys=[], values=[]), ast.JoinedStr(values=[])], ctx=ast.Load())
    assert ast.dump(twin) == ast.dump(expected)
