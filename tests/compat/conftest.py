"""Fixtures shared by the compat tests: a wiped emulator and a raw datastore client."""

import pytest


@pytest.fixture
def datastore(clean_datastore):
    """The emulator, wiped before the test; compat.db talks to it."""
    return clean_datastore


@pytest.fixture
def raw_client(datastore_emulator):
    """A google-cloud-datastore client, to read what compat stored without going through compat."""
    from google.cloud import datastore as _ds

    return _ds.Client(project=datastore_emulator.project)
