"""Legacy query behaviours: ``!=`` as two range filters, the cursor after a loop."""

from __future__ import annotations

from typing import Any, Optional

from google.cloud import ndb
from google.cloud.ndb import exceptions


def not_equal(prop: ndb.Property, value: Any):
    """``prop != value`` as legacy ran it: ``prop < value OR prop > value`` (one query each, merged).

    ndb sends ``!=`` to the server as one NOT_EQUAL filter, which the
    Datastore emulator refuses and which means something else for list
    properties; legacy split it into two range queries.
    """
    return ndb.OR(prop < value, prop > value)


def cursor_after(results) -> Optional[bytes]:
    """``q.cursor()`` after a loop over ``q``: the web-safe cursor after the last result read, as legacy gave it.

    ``results`` is the ``q.iter(produce_cursors=True)`` the loop ran over.
    The cursor is bytes (URL-safe base64), as the legacy SDK's on Python 3.
    Before any result there is none (None). A query with ``IN`` or ``!=``
    has no cursor: AssertionError, as legacy raised for its MultiQuery.
    """
    try:
        return results.cursor_after().urlsafe()
    except exceptions.BadArgumentError as error:
        if "OR filter" in str(error):
            raise AssertionError('No cursor available for a MultiQuery (queries using "IN" or "!=" operators)')
        return None
