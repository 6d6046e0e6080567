"""DB008 (queries): an ancestor entity made right there without a key name keeps db's NotSavedError.

Observed on the legacy SDK (tests/codemods/semantic program v006): ``Note.all().ancestor(Note(title='x'))``
raised NotSavedError; converted to ``ancestor=Note(title='x').key`` it is ``ancestor=None``, which ndb reads
as a query without an ancestor (every Note).
"""

from libcst.codemod import CodemodTest

from codemods.rules.db008_queries import QueriesRule

MODELS = """
from google.appengine.ext import db

class Blog(db.Model):
    title = db.StringProperty()

class Post(db.Model):
    title = db.StringProperty()
"""


class AncestorNeverPutTest(CodemodTest):
    TRANSFORM = QueriesRule

    def test_an_entity_made_without_a_key_is_key_of_the_saved_ones_dot_key(self) -> None:
        before = MODELS + """
def f(blog, t, k):
    a = Post.all().ancestor(Blog(title=t)).fetch(5)
    b = Post.all().ancestor(blog).fetch(5)
    c = Post.all().ancestor(Blog(key_name=t)).fetch(5)
    d = Post.all().ancestor(Blog(key=k)).fetch(5)
    return a, b, c, d

def g():
    f(Blog.get_by_key_name('b'), 'x', None)
"""
        after = MODELS.replace("from google.appengine.ext import db\n",
                               "from google.appengine.ext import db\nfrom compat import ndb_legacy\n") + """
def f(blog, t, k):
    a = Post.query(ancestor=ndb_legacy.key_of(Blog(title=t))).fetch(5)
    b = Post.query(ancestor=blog.key).fetch(5)
    c = Post.query(ancestor=Blog(key_name=t).key).fetch(5)
    d = Post.query(ancestor=Blog(key=k).key).fetch(5)
    return a, b, c, d

def g():
    f(Blog.get_by_key_name('b'), 'x', None)
"""
        self.assertCodemod(before, after)
