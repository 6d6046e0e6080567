"""DB006 (entity methods): constructor keywords, parent, kind, properties, is_saved, to_dict."""

from libcst.codemod import CodemodTest

from codemods.rules.db006_entities import EntityMethodsRule

from _rule_test_models import BLOG_MODELS as MODELS


class EntityMethodsTest(CodemodTest):
    TRANSFORM = EntityMethodsRule

    def test_constructor_and_methods(self) -> None:
        before = MODELS + """
def f():
    blog = Blog(key_name='b')
    post = Post(key_name='p', parent=blog)
    post.delete()
    return post.parent(), post.parent_key(), Post.kind(), post.kind(), Post.properties(), db.to_dict(post)
"""
        after = MODELS.replace("from google.appengine.ext import db\n", "from google.appengine.ext import db\nfrom compat import ndb_legacy\n") + """
def f():
    blog = Blog(id='b')
    post = Post(id='p', parent=blog.key)
    post.key.delete()
    return post.key.parent().get(), post.key.parent(), Post._get_kind(), post._get_kind(), Post._properties, ndb_legacy.to_dict(post)
"""
        self.assertCodemod(before, after)

    def test_parent_entity_from_a_key_parameter(self) -> None:
        # blog_key is a Blog key at every call site, so db.get gives a Blog entity: ndb needs its key
        before = MODELS + """
def add(blog_key):
    def txn():
        blog = db.get(blog_key)
        return Post(parent=blog)
    return db.run_in_transaction(txn)

def start():
    blog = Blog(key_name='b')
    blog.put()
    return add(blog.key())
"""
        after = MODELS + """
def add(blog_key):
    def txn():
        blog = db.get(blog_key)
        return Post(parent=blog.key)
    return db.run_in_transaction(txn)

def start():
    blog = Blog(id='b')
    blog.put()
    return add(blog.key())
"""
        self.assertCodemod(before, after)

    def test_constructor_keywords_are_stored_names_in_db(self) -> None:
        before = """
            from google.appengine.ext import db

            class Post(db.Model):
                score = db.IntegerProperty(name='stars')

            a = Post(stars=5)
            b = Post.get_or_insert('x', stars=1)
            c = Post(score=5)
            d = Post(key_name='k', score=5)
        """
        after = """
            from google.appengine.ext import db

            class Post(db.Model):
                score = db.IntegerProperty(name='stars')

            a = Post(score=5)
            b = Post.get_or_insert('x', score=1)
            # TODO(db2ndb:DB006): `score=` dropped: db constructors take stored names, so db ignored it and left the property (stored as 'stars') at its default; pass `score=` if you meant to set it. See docs/codemods.md#db006
            c = Post()
            # TODO(db2ndb:DB006): `score=` dropped: db constructors take stored names, so db ignored it and left the property (stored as 'stars') at its default; pass `score=` if you meant to set it. See docs/codemods.md#db006
            d = Post(id='k')
        """
        self.assertCodemod(before, after)

    def test_properties_keyed_differently_when_names_are_overridden(self) -> None:
        before = """
            from google.appengine.ext import db

            class Post(db.Model):
                score = db.IntegerProperty(name='stars')

            names = list(Post.properties())
        """
        after = """
            from google.appengine.ext import db

            class Post(db.Model):
                score = db.IntegerProperty(name='stars')

            # TODO(db2ndb:DB006): properties(): ndb's `_properties` is keyed by stored names, db's by attribute names (they differ for score); map `prop._code_name` if you need attribute names. See docs/codemods.md#db006
            names = list(Post.properties())
        """
        self.assertCodemod(before, after)

    def test_is_saved_becomes_has_complete_key_with_a_todo(self) -> None:
        before = MODELS + """
def f():
    post = Post()
    return post.is_saved()
"""
        after = MODELS + """
def f():
    post = Post()
    # TODO(db2ndb:DB006): is_saved() -> `e._has_complete_key()`: also true for an entity made with an id (key_name=, id=, key=) before its first put(), where db said False; ndb does not track saving. See docs/codemods.md#db006
    return post._has_complete_key()
"""
        self.assertCodemod(before, after)
