"""Whether ``ndb.gql`` reads a legacy GQL text the way legacy ``db`` did (DB010 decides ndb.gql or ndb_legacy.gql)."""

from __future__ import annotations

import functools
import re

# constructs ndb's GQL builds otherwise: ANCESTOR IS (dropped), != (a NOT_EQUAL filter), KEY('<encoded>')
# (refused), __key__ (SELECT __key__ returns entities, a __key__ filter fails)
_DIFFERENT = re.compile(
    r"""\bANCESTOR\b|!=|\bKEY\s*\(\s*(?::\w+|'[^']*'|"[^"]*")\s*\)|\b__key__\b""",
    re.IGNORECASE,
)
# IN without ORDER BY: legacy merged the sub-queries' results by key (ndb_legacy.gql does), ndb.gql chains them
_IN = re.compile(r"\sIN\s", re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def ndb_reads_alike(text: str) -> bool:
    """True if ``ndb.gql(text)`` gives the query legacy's ``db.GqlQuery(text)`` gave.

    False for the constructs ndb's GQL builds differently (also ``IN``
    without ``ORDER BY``, whose results ndb does not merge by key) and for texts ndb's
    parser refuses where legacy's retried without reserved words (a property
    named ``group`` or ``order``).
    """
    if _DIFFERENT.search(text):
        return False
    if _IN.search(text) and not _ORDER_BY.search(text):
        return False
    from google.cloud.ndb import _gql, exceptions

    try:
        _gql.GQL(text)
    except exceptions.BadQueryError:
        return False
    return True
