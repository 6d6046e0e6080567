"""Fixtures for the query tests: a wiped emulator with stories in it."""

import pytest

from query_models import QAuthor, make_stories


@pytest.fixture
def author(clean_datastore):
    """One stored QAuthor (the datastore wiped first)."""
    author = QAuthor(key_name="ann", name="Ann", rank=1)
    author.put()
    return author


@pytest.fixture
def stories(author):
    """Ten stored QStory entities, n = 0..9, all by ``author``."""
    return make_stories(10, author)
