"""compat.ndb_legacy properties: empty (falsy) values on assignment, as legacy checked them.

Observed on the legacy SDK (appengine-python-standard, ``setattr`` on a
db.Model): only DateProperty / DateTimeProperty take any falsy value
unchecked (legacy's ``if value and not isinstance(...)``); StringProperty
takes ``''`` but refuses ``0``, ``False``, ``[]``, ``b''``; TextProperty takes
``''`` and ``b''``; GeoPtProperty refuses every falsy value; RatingProperty
takes ``0``. None is taken by all (not required).
"""

import pytest
from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat import ndb_legacy


class Holder(ndb.Model):
    """One property of each kind whose empty values legacy treated differently."""

    s = ndb_legacy.StringProperty()
    t = ndb_legacy.TextProperty()
    g = ndb_legacy.GeoPtProperty()
    d = ndb_legacy.DateProperty()
    dt = ndb_legacy.DateTimeProperty()
    r = ndb_legacy.RatingProperty()


FALSY = [0, False, "", [], b"", 0.0, {}]
#: per property, the falsy values legacy took on assignment (the rest raised BadValueError)
TAKEN = {
    "s": ["", None],
    "t": ["", b"", None],
    "g": [None],
    "d": FALSY + [None],
    "dt": FALSY + [None],
    "r": [0, None],
}


@pytest.mark.parametrize("name", sorted(TAKEN))
@pytest.mark.parametrize("value", FALSY + [None], ids=repr)
def test_empty_values_are_checked_as_legacy_checked_them(ndb_context, name, value):
    entity = Holder()
    if any(value is v or (type(value) is type(v) and value == v) for v in TAKEN[name]):
        setattr(entity, name, value)
    else:
        with pytest.raises(exceptions.BadValueError):
            setattr(entity, name, value)
