"""prefetch_references (one batch get), count_dereferences and the opt-in N+1 warning, against the emulator."""

import logging

import pytest
from query_models import QAuthor, QStory

import compat
from compat import db


@pytest.fixture
def library(clean_datastore):
    authors = [QAuthor(key_name="a%d" % i, name="author %d" % i) for i in range(3)]
    db.put(authors)
    stories = [QStory(key_name="s%d" % i, n=i, author=authors[i % 3]) for i in range(9)]
    stories.append(QStory(key_name="orphan", n=99, author=db.Key.from_path("QAuthor", "gone")))
    stories.append(QStory(key_name="anonymous", n=100))
    db.put(stories)
    return authors


@pytest.fixture(autouse=True)
def _warning_off():
    yield
    db.warn_on_dereferences(None)


def test_one_batch_get_resolves_every_reference(library, counted):
    stories = QStory.all().order("n").fetch(100)
    counted.reset_counts()
    assert db.prefetch_references(stories, "author") == stories
    assert counted.calls["Lookup"] == 1
    with db.count_dereferences() as counter:
        names = [s.author.name for s in stories[:9]]
    assert names == ["author %d" % (i % 3) for i in range(9)]
    assert counter.count == 0 and counted.calls["Lookup"] == 1
    assert stories[0].author is not stories[3].author  # each referrer gets its own instance
    assert stories[0].author.key() == stories[3].author.key()
    with pytest.raises(db.ReferencePropertyResolveError):
        stories[9].author  # a missing target stays unresolved, as a single get would have left it
    assert stories[10].author is None


def test_all_reference_properties_by_default_and_nothing_fetched_twice(library, counted):
    stories = QStory.all().filter("n <", 99).fetch(100)  # not the orphan: a missing target is asked again
    db.prefetch_references(stories)
    assert all(s.__dict__["_RESOLVED_author"] is not None for s in stories)
    counted.reset_counts()
    db.prefetch_references(stories)  # already resolved: no RPC
    db.prefetch_references([])
    db.prefetch_references([None])
    assert counted.calls["Lookup"] == 0


def test_bad_property_names(library):
    stories = QStory.all().fetch(2)
    with pytest.raises(db.BadArgumentError, match="no property 'writer'"):
        db.prefetch_references(stories, "writer")
    with pytest.raises(db.BadArgumentError, match="not a ReferenceProperty"):
        db.prefetch_references(stories, "title")


def test_one_by_one_dereferences_are_counted(library):
    with db.count_dereferences() as outer:
        for story in QStory.all().filter("n <", 4):
            story.author
        with db.count_dereferences() as inner:
            QStory.all().filter("n =", 5).get().author
    assert outer.count == 5 and inner.count == 1
    assert outer.kinds == {"QAuthor": 5}


def test_the_warning_is_opt_in_and_per_request(library, caplog):
    caplog.set_level(logging.WARNING, logger="compat.db.references")
    with compat.context():
        for story in QStory.all().filter("n <", 9):
            story.author
    assert not caplog.records  # off by default

    db.warn_on_dereferences(threshold=3)
    with compat.context():
        for story in QStory.all().filter("n <", 9):
            story.author
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2  # at 4 (threshold crossed) and at 8 (doubled)
    assert messages[0].startswith("compat.db: 4 ReferenceProperty values dereferenced one by one")
    assert "QAuthor x4" in messages[0] and "prefetch_references" in messages[0]
    caplog.clear()
    with compat.context():  # a new request starts from zero
        for story in QStory.all().filter("n <", 3):
            story.author
    assert not caplog.records
    with compat.context():
        stories = db.prefetch_references(QStory.all().filter("n <", 9).fetch(20))
        for story in stories:
            story.author
    assert not caplog.records
    with pytest.raises(db.BadArgumentError):
        db.warn_on_dereferences(threshold=-1)
