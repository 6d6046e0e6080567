"""ReferenceProperty and SelfReferenceProperty as legacy had them: stored as a key, dereferenced
lazily with exactly one get (counted at the wire by the RPC-counting proxy), cached on the
instance, ReferencePropertyResolveError for a missing target, and ``collection_name`` back-references
returning a query."""

import pytest

from compat import db


class RefAuthor(db.Model):
    name = db.StringProperty()


class RefStory(db.Model):
    title = db.StringProperty()
    author = db.ReferenceProperty(RefAuthor, collection_name="stories")
    editor = db.ReferenceProperty(RefAuthor)  # default back-reference: refstory_set
    anything = db.ReferenceProperty()  # any Model


class RefNode(db.Model):
    label = db.StringProperty()
    up = db.SelfReferenceProperty(collection_name="children")


@pytest.fixture
def story_key(raw):
    author_key = RefAuthor(key_name="ann", name="Ann").put()
    return RefStory(key_name="s", title="t", author=author_key).put()


def test_reference_is_stored_as_the_target_key(raw, story_key):
    assert raw.stored(story_key)["author"] == ("key", ("RefAuthor", "ann"), None, False)
    assert raw.stored(story_key)["editor"] == ("null", None, None, False)


def test_dereference_is_lazy_one_get_and_cached(raw, story_key, counted):
    story = RefStory.get(story_key)
    counted.reset_counts()

    assert RefStory.author.get_value_for_datastore(story) == db.Key.from_path("RefAuthor", "ann")
    assert counted.calls["Lookup"] == 0

    author = story.author
    assert isinstance(author, RefAuthor) and author.name == "Ann"
    assert counted.calls["Lookup"] == 1

    assert story.author is author
    assert story.author.name == "Ann"
    assert counted.calls["Lookup"] == 1


def test_missing_target_raises_reference_property_resolve_error(raw, story_key):
    db.delete(db.Key.from_path("RefAuthor", "ann"))
    story = RefStory.get(story_key)

    with pytest.raises(db.ReferencePropertyResolveError, match="RefAuthor"):
        story.author
    assert RefStory.author.get_value_for_datastore(story) == db.Key.from_path("RefAuthor", "ann")


def test_assigning_an_instance_caches_it_and_stores_its_key(raw, counted):
    author = RefAuthor(key_name="bob", name="Bob")
    author.put()
    story = RefStory(author=author)
    counted.reset_counts()

    assert story.author is author
    assert counted.calls["Lookup"] == 0
    key = story.put()
    assert raw.stored(key)["author"].value == ("RefAuthor", "bob")


def test_assigning_a_key_resets_the_cache_and_none_clears(raw, story_key):
    other = RefAuthor(key_name="cy", name="Cy")
    other.put()
    story = RefStory.get(story_key)
    assert story.author.name == "Ann"

    story.author = other.key()
    assert story.author.name == "Cy"
    story.author = None
    assert story.author is None
    story.put()
    assert raw.stored(story_key)["author"] == ("null", None, None, False)


def test_reference_without_a_class_accepts_any_model(raw):
    node_key = RefNode(key_name="n").put()
    story = RefStory(anything=node_key)
    key = story.put()
    assert isinstance(RefStory.get(key).anything, RefNode)


def test_self_reference_and_its_back_reference(raw):
    root = RefNode(key_name="root", label="r")
    root.put()
    child_keys = [RefNode(key_name="c%d" % n, label="c%d" % n, up=root).put() for n in range(3)]
    RefNode(key_name="other", label="o").put()

    assert raw.stored(child_keys[0])["up"] == ("key", ("RefNode", "root"), None, False)
    assert RefNode.get(child_keys[1]).up.label == "r"
    children = root.children
    assert isinstance(children, db.Query)
    assert sorted(node.label for node in children) == ["c0", "c1", "c2"]


def test_collection_name_back_reference_returns_a_query_of_the_referring_entities(raw, story_key):
    RefStory(key_name="s2", title="t2", author=db.Key.from_path("RefAuthor", "ann")).put()
    RefStory(key_name="s3", title="t3").put()
    ann = RefAuthor.get_by_key_name("ann")

    query = ann.stories
    assert isinstance(query, db.Query)
    assert sorted(story.title for story in query) == ["t", "t2"]
    assert query.count() == 2
    assert [s.title for s in ann.refstory_set] == []  # the editor back-reference (default name)


def test_back_reference_is_read_only():
    ann = RefAuthor(key_name="ann")
    with pytest.raises(db.BadValueError, match="read-only"):
        ann.stories = []


def test_a_second_property_claiming_the_same_collection_name_is_refused():
    with pytest.raises(db.DuplicatePropertyError, match="already has property stories"):
        type("RefClash", (db.Model,), {"author": db.ReferenceProperty(RefAuthor, collection_name="stories")})


def test_reference_class_must_be_a_model():
    with pytest.raises(db.KindError):
        db.ReferenceProperty(str)
    with pytest.raises(db.ConfigurationError):
        db.SelfReferenceProperty(reference_class=RefNode)
