"""Legacy query behaviours: filter and order strings, ``!=`` as two range filters, the cursor after a loop."""

from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from google.cloud import ndb
from google.cloud.ndb import exceptions
from google.cloud.ndb import query as ndb_query

from compat._websafe_cursor import WebsafeCursor


def not_equal(prop: ndb.Property, value: Any) -> Any:
    """``prop != value`` as legacy ran it: ``prop < value OR prop > value`` (one query each, merged).

    ndb sends ``!=`` to the server as one NOT_EQUAL filter, which the
    Datastore emulator refuses and which means something else for list
    properties; legacy split it into two range queries.
    """
    return ndb.OR(prop < value, prop > value)


#: a key no entity has (a kind apps do not write): an equality on it matches nothing, in any query
_NO_RESULT_KEY = ("NdbLegacyNoResult", "none")


def IN(prop: ndb.Property, values: Iterable[Any]) -> Any:
    """``prop IN values`` as legacy ran it: an OR of equalities, and nothing at all for an empty list.

    ndb builds an always-false node for an empty list, which it cannot send
    (BadQueryError when the query runs); legacy returned no results. Here an
    empty list is a filter no entity matches (``__key__`` equal to a key of
    a kind the app does not write).
    """
    values = list(values)
    if not values:
        return ndb_query.FilterNode("__key__", "=", ndb.Key(*_NO_RESULT_KEY))
    return prop.IN(values)


_NO_MULTI_CURSOR = 'No cursor available for a MultiQuery (queries using "IN" or "!=" operators)'


def websafe_cursor(cursor: Optional[ndb.Cursor]) -> Optional[WebsafeCursor]:
    """``q.cursor()`` after a fetch: ``fetch_page``'s ndb cursor as legacy's web-safe cursor string, or None.

    The bytes of ``cursor.urlsafe()`` (the URL-safe base64 the legacy SDK
    gives on Python 3), as a :class:`~compat._websafe_cursor.WebsafeCursor`:
    formatted into a link (``'/?cursor=%s' % c``) it gives its text, as the
    Python 2 ``str`` legacy returned did, where plain bytes would put
    ``b'...'`` into the URL.
    """
    return WebsafeCursor(cursor.urlsafe()) if cursor else None


def cursor_after(results: Any) -> Optional[bytes]:
    """``q.cursor()`` after a loop over ``q``: the web-safe cursor after the last result read, as legacy gave it.

    ``results`` is the ``q.iter(produce_cursors=True)`` the loop ran over.
    The cursor is a WebsafeCursor: bytes (URL-safe base64, as the legacy SDK's on
    Python 3) that format as their text, as Python 2's str did.
    Before any result there is none (None). A query with ``IN`` or ``!=``
    has no cursor: AssertionError, as legacy raised for its MultiQuery; so
    does ``cursor_after(q)`` of such a query itself (``q.cursor()`` where
    DB008 sees the ``IN`` / ``!=`` filter).
    """
    if isinstance(results, ndb.Query):
        if not isinstance(results.filters, ndb_query.DisjunctionNode):
            raise AssertionError("No cursor available.")
        raise AssertionError(_NO_MULTI_CURSOR)
    try:
        return WebsafeCursor(results.cursor_after().urlsafe())
    except exceptions.BadArgumentError as error:
        if "OR filter" in str(error):
            raise AssertionError(_NO_MULTI_CURSOR)
        return None



class PropertyError(exceptions.Error):
    """``db.PropertyError``: a query names a property its (non-Expando) model does not have."""


_OPERATORS = ("<", "<=", ">", ">=", "=", "==", "!=", "in")
_FILTER = re.compile(r"^\s*([^\s]+)(\s+(%s)\s*)?$" % "|".join(re.escape(op) for op in _OPERATORS),
                     re.IGNORECASE | re.UNICODE)


def _stored(model: type[ndb.Model], name: str) -> Optional[ndb.Property]:
    if name == "__key__":
        return model.key
    return model._properties.get(name)


def filter_by(model: type[ndb.Model], text: str, value: Any) -> Any:
    """``q.filter(text, value)`` of legacy (a string like ``'age >'`` built at run time): the ndb filter node.

    ``text`` names a *stored* property and an operator (``=`` when none),
    as legacy read it; a name the model does not declare is filtered on
    anyway (``ndb.GenericProperty``), as legacy sent it to the datastore;
    ``!=`` is :func:`not_equal`, ``in`` an OR of equalities; an entity
    stands for its key. A string legacy could not read raises
    AttributeError, as legacy's filter() did.
    """
    match = _FILTER.match(text) if isinstance(text, str) else None
    if match is None:
        raise AttributeError("cannot read the filter string %r (db raised AttributeError)" % (text,))
    name, op = match.group(1), (match.group(3) or "=").lower()
    prop = _stored(model, name) or ndb.GenericProperty(name)
    value = _as_filter_value(value)
    if op == "!=":
        return not_equal(prop, value)
    if op == "in":
        return IN(prop, value)
    return prop._comparison("=" if op == "==" else op, value)


def order_by(model: type[ndb.Model], text: str) -> Any:
    """``q.order(text)`` of legacy (``'-created'`` built at run time): the ndb sort order.

    A leading ``-`` sorts descending; the name is a stored property name. A
    name a non-Expando model does not declare raises :class:`PropertyError`
    (``Invalid property name``), as legacy's order() did.
    """
    descending = text.startswith("-")
    name = text[1:] if descending else text
    prop = _stored(model, name)
    if prop is None:
        if not issubclass(model, ndb.Expando):
            raise PropertyError("Invalid property name '%s'" % name)
        prop = ndb.GenericProperty(name)
    return -prop if descending else prop


def _as_filter_value(value: Any) -> Any:
    if isinstance(value, ndb.Model):
        return value.key
    if isinstance(value, (list, tuple)):
        return [_as_filter_value(item) for item in value]
    return value
