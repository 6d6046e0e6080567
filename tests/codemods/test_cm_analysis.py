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
