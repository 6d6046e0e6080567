"""compat.ndb_legacy.key_from_path / get_by_id / get_by_key_name / key_of: legacy's checks on ndb keys.

Observed on the legacy SDK (tests/codemods/semantic/programs k010, v005):
``db.Key.from_path`` refused an id beyond 64 bits (ValueError) and an empty
name (BadValueError) but took 0 and negative ids; ``get_by_id`` refused a
name and id 0 (an incomplete key: BadKeyError), ``get_by_key_name`` an int
and ``''``. ndb.Key and ndb's ``get_by_id`` take all of these.
"""

import pytest
from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat import ndb_legacy


class Row(ndb.Model):
    """A kind to read."""

    title = ndb.StringProperty()


@pytest.mark.parametrize("path, error", [
    (("Row", 2 ** 63), ValueError),
    (("Row", -(2 ** 63) - 1), ValueError),
    (("Row", ""), exceptions.BadValueError),
    (("Row", "x" * 1501), exceptions.BadValueError),
    (("Row", 1.5), exceptions.BadArgumentError),
    ((5, 1), exceptions.BadArgumentError),
    (("Row",), exceptions.BadArgumentError),
    ((), exceptions.BadArgumentError),
])
def test_key_from_path_refuses_what_legacy_refused(ndb_context, path, error):
    with pytest.raises(error):
        ndb_legacy.key_from_path(*path)


def test_key_from_path_takes_what_legacy_took(ndb_context):
    assert ndb_legacy.key_from_path("Row", 0).flat() == ("Row", 0)
    assert ndb_legacy.key_from_path("Row", -1).flat() == ("Row", -1)
    assert ndb_legacy.key_from_path("Row", 2 ** 63 - 1).flat() == ("Row", 2 ** 63 - 1)
    assert ndb_legacy.key_from_path("Row", "a/b", "Sub", 3).flat() == ("Row", "a/b", "Sub", 3)
    assert ndb_legacy.key_from_path("Row", True).flat() == ("Row", 1)  # legacy stored a bool id as the integer
    parent = ndb.Key("Row", "p")
    assert ndb_legacy.key_from_path("Row", 1, parent=parent).parent() == parent
    assert ndb_legacy.key_from_path("Row", 1, parent=Row(id="p")).parent() == parent  # an entity: its key
    with pytest.raises(ndb_legacy.BadKeyError):
        ndb_legacy.key_from_path("Row", 1, parent=ndb.Key("Row", None))
    with pytest.raises(exceptions.BadArgumentError):
        ndb_legacy.key_from_path("Row", 1, bogus=2)


def test_getters_check_arguments_as_legacy_did(ndb_context, clean_datastore):
    Row(id="a", title="by name").put()
    Row(id=5, title="by id").put()
    with pytest.raises(exceptions.BadArgumentError):
        ndb_legacy.get_by_id(Row, "a")  # ndb's get_by_id reads the entity named 'a'
    with pytest.raises(exceptions.BadArgumentError):
        ndb_legacy.get_by_key_name(Row, 5)  # ndb's get_by_id reads the entity of id 5
    with pytest.raises(exceptions.BadArgumentError):
        ndb_legacy.get_by_id(Row, [5, "a"])
    with pytest.raises(ndb_legacy.BadKeyError) as raised:
        ndb_legacy.get_by_id(Row, 0)
    assert isinstance(raised.value, ValueError)  # DB015 converts `except db.BadKeyError` to catch ValueError
    with pytest.raises(exceptions.BadValueError):
        ndb_legacy.get_by_key_name(Row, "")


def test_getters_read_one_or_many(ndb_context, clean_datastore):
    Row(id="a", title="by name").put()
    Row(id=5, title="by id").put()
    assert ndb_legacy.get_by_key_name(Row, "a").title == "by name"
    assert ndb_legacy.get_by_id(Row, 5).title == "by id"
    assert [r and r.title for r in ndb_legacy.get_by_key_name(Row, ["a", "b"])] == ["by name", None]
    assert [r.title for r in ndb_legacy.get_by_id(Row, (5,))] == ["by id"]
    assert ndb_legacy.get_by_id(Row, []) == []
    assert ndb_legacy.get_by_key_name(Row, "a", parent=ndb.Key("Row", "p")) is None


def test_key_of_raises_not_saved_for_an_entity_never_put(ndb_context, clean_datastore):
    # v006: db's `ancestor(Note(title='x'))` raised NotSavedError; ndb's ancestor=None would read every Row
    with pytest.raises(ndb_legacy.NotSavedError):
        ndb_legacy.key_of(Row(title="x"))
    assert ndb_legacy.key_of(Row(id="named")) == ndb.Key("Row", "named")  # a key name: complete before put()
    saved = Row(title="y")
    saved.put()
    assert ndb_legacy.key_of(saved) == saved.key
