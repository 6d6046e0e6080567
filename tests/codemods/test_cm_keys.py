"""The scratch keys between the rules and the suite: typed, distinct, and the same strings libcst's scratch holds."""

import pytest
from libcst.codemod import CodemodContext

from codemods.framework import keys


def _all_keys():
    return {name: value for name, value in vars(keys).items() if name.isupper() and name not in ("T", "TYPE_CHECKING")}


def test_every_key_is_typed_and_distinct():
    found = _all_keys()
    assert len(found) >= 14
    assert all(isinstance(value, keys.Key) for value in found.values())
    assert len(set(found.values())) == len(found)
    assert all(value.startswith("db2ndb.") for value in found.values())


def test_accessors_read_and_write_the_scratch_dictionary():
    context = CodemodContext()
    assert keys.CONVERTED.get(context) is None
    assert keys.CONVERTED.get(context, {}) == {}
    counts = keys.CONVERTED.setdefault(context, {})
    counts["DB001"] = 2
    assert context.scratch["db2ndb.converted"] == {"DB001": 2}
    assert keys.CONVERTED.setdefault(context, {}) is counts
    keys.NDB_IMPORTED.set(context, True)
    assert context.scratch[keys.NDB_IMPORTED] is True
    assert keys.NDB_IMPORTED.require(context) is True
    assert keys.NDB_IMPORTED.pop(context) is True
    assert keys.NDB_IMPORTED.pop(context) is None
    with pytest.raises(KeyError):
        keys.ENGINE.require(context)
