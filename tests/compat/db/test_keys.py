"""db.Key: construction, accessors, exact legacy string form, ordering, and untrusted strings."""

import base64
import pickle

import pytest

from compat import configure, db, namespace_manager
from compat._config import settings


def _varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _string_field(tag, text):
    data = text.encode("utf-8")
    return _varint(tag) + _varint(len(data)) + data


def _legacy_reference(app, path, namespace=None):
    """The bytes legacy App Engine serialized for a Reference, built by hand from the .proto layout.

    Reference: app = 13 (string), path = 14 (Path), name_space = 20 (string).
    Path: repeated group Element = 1 { type = 2 (string); id = 3 (int64); name = 4 (string) }.
    """
    elements = b""
    for kind, ident in zip(path[0::2], path[1::2]):
        element = _string_field(2 << 3 | 2, kind)
        if isinstance(ident, int):
            element += _varint(3 << 3 | 0) + _varint(ident)
        else:
            element += _string_field(4 << 3 | 2, ident)
        elements += _varint(1 << 3 | 3) + element + _varint(1 << 3 | 4)
    data = _string_field(13 << 3 | 2, app)
    data += _varint(14 << 3 | 2) + _varint(len(elements)) + elements
    if namespace:
        data += _string_field(20 << 3 | 2, namespace)
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@pytest.fixture
def project(datastore_emulator):
    return datastore_emulator.project


@pytest.fixture
def partition():
    saved = settings.partition
    yield
    configure(partition=saved)


def test_from_path_accessors(project):
    key = db.Key.from_path("Employee", "john")
    assert key.kind() == "Employee"
    assert key.name() == "john" and key.id() is None and key.id_or_name() == "john"
    assert key.has_id_or_name()
    assert key.parent() is None
    assert key.app() == "s~" + project
    assert key.namespace() == ""
    numeric = db.Key.from_path("Employee", 42)
    assert numeric.id() == 42 and numeric.name() is None and numeric.id_or_name() == 42


def test_parent_and_namespace(project):
    parent = db.Key.from_path("Company", "acme", namespace="tenant-1")
    child = db.Key.from_path("Employee", 7, parent=parent)
    assert child.parent() == parent
    assert child.namespace() == "tenant-1"
    assert child.to_path() == ["Company", "acme", "Employee", 7]
    assert child.entity_group() == parent
    grandchild = db.Key.from_path("Company", "acme", "Employee", 7, "Badge", "b", namespace="tenant-1")
    assert grandchild.parent() == child


def test_namespace_manager_default(project):
    token = namespace_manager.get_namespace()
    namespace_manager.set_namespace("scoped")
    try:
        assert db.Key.from_path("K", 1).namespace() == "scoped"
        assert db.Key.from_path("K", 1, namespace="").namespace() == ""
    finally:
        namespace_manager.set_namespace(token)


@pytest.mark.parametrize(
    "path, namespace",
    [
        (["Kind", 1], None),
        (["Kind", "name"], None),
        (["Parent", "p", "Child", 9876543210], None),
        (["Kind", "ключ-日本"], None),
        (["Kind", 5], "ns"),
        (["A", "a", "B", 2, "C", "c"], "tenant.x"),
    ],
)
def test_str_is_the_legacy_production_string(project, path, namespace):
    expected = _legacy_reference("s~" + project, path, namespace)
    key = db.Key.from_path(*path, namespace=namespace)
    assert str(key) == expected
    # ... which is also what google-cloud-ndb produces with the partition prefix.
    assert key.to_ndb().to_legacy_urlsafe("s~").decode() == expected
    decoded = db.Key(expected)
    assert decoded == key and str(decoded) == expected
    assert decoded.to_path() == path


def test_partition_prefix_is_configurable(project, partition):
    configure(partition="e~")
    key = db.Key.from_path("Kind", 1)
    assert key.app() == "e~" + project
    assert str(key) == _legacy_reference("e~" + project, ["Kind", 1])


def test_strings_without_prefix_are_accepted_and_normalised(project):
    ndb_string = db.Key.from_path("Kind", 3).to_ndb().urlsafe()  # bytes, no "s~"
    key = db.Key(ndb_string)
    assert key == db.Key.from_path("Kind", 3)
    assert str(key) == _legacy_reference("s~" + project, ["Kind", 3])
    assert db.Key(ndb_string.decode()) == key


def test_padded_and_bytes_input(project):
    text = str(db.Key.from_path("Kind", "x"))
    padded = text + "=" * (-len(text) % 4)
    assert db.Key(padded) == db.Key(text.encode()) == db.Key.from_path("Kind", "x")


def test_equality_hash_and_ordering(project):
    a1 = db.Key.from_path("K", 1)
    a1_again = db.Key(str(db.Key.from_path("K", 1)))
    assert a1 == a1_again and hash(a1) == hash(a1_again)
    assert a1 != db.Key.from_path("K", 2)
    assert a1 != db.Key.from_path("K", 1, namespace="other")
    assert len({a1, a1_again, db.Key.from_path("K", 2)}) == 2
    keys = [
        db.Key.from_path("K", "b"),
        db.Key.from_path("K", 10),
        db.Key.from_path("J", "z"),
        db.Key.from_path("K", 2),
        db.Key.from_path("K", "a"),
        db.Key.from_path("K", 2, "C", 1),
    ]
    ordered = sorted(keys)
    # Datastore order: by kind, then ids before names, ids numerically; parents before children.
    assert [k.to_path() for k in ordered] == [
        ["J", "z"], ["K", 2], ["K", 2, "C", 1], ["K", 10], ["K", "a"], ["K", "b"],
    ]
    assert (a1 == "not a key") is False


def test_pickle_round_trip(project):
    key = db.Key.from_path("P", "p", "C", 3, namespace="ns")
    assert pickle.loads(pickle.dumps(key)) == key


def test_pickle_round_trip_of_an_empty_key():
    # legacy (SDK, testbed) pickled db.Key() and read it back equal; compat raised AttributeError
    empty = pickle.loads(pickle.dumps(db.Key()))
    assert empty == db.Key() and empty.kind() is None and empty.to_path() == []


def test_repr(project):
    key = db.Key.from_path("Employee", "john")
    assert repr(key) == "datastore_types.Key.from_path('Employee', 'john', _app='s~%s')" % project


def test_ndb_conversion_is_lossless(project, ndb_context):
    from google.cloud import ndb

    key = db.Key.from_path("Company", "acme", "Employee", 7, namespace="ns")
    ndb_key = key.to_ndb()
    assert ndb_key == ndb.Key("Company", "acme", "Employee", 7, namespace="ns", project=project)
    assert db.Key.from_ndb(ndb_key) == key
    assert ndb.Key(urlsafe=str(key)) == ndb_key


@pytest.mark.parametrize(
    "bad",
    [
        "garbage!!",
        "agtzfnRlc3QtcHJvanIHCxIBTRgBDA$",
        "%%%",
        "AAAA",
        "aGVsbG8gd29ybGQ",  # valid base64 of "hello world", not a key
        "ключ",
    ],
)
def test_garbage_strings_raise_bad_key_error(project, bad):
    with pytest.raises(db.BadKeyError):
        db.Key(bad)


def test_truncated_strings_raise_bad_key_error(project):
    good = str(db.Key.from_path("Parent", "some-long-name", "Child", 123456789))
    for cut in range(1, len(good) - 1, 3):
        with pytest.raises(db.BadKeyError):
            db.Key(good[:cut])


def test_incomplete_key_string_decodes_but_cannot_be_used(project):
    incomplete = _legacy_reference("s~" + project, ["Kind", 0])
    key = db.Key(incomplete)  # legacy decoded it: an incomplete key
    assert (key.kind(), key.id(), key.has_id_or_name()) == ("Kind", None, False)
    with pytest.raises(db.BadKeyError, match="not complete"):
        db.get(incomplete)
    with pytest.raises(db.BadKeyError, match="not complete"):
        db.delete(key)


def test_foreign_project_is_refused_by_default(project):
    foreign = _legacy_reference("s~someone-else", ["Kind", 1])
    with pytest.raises(db.BadKeyError, match="someone-else"):
        db.Key(foreign)
    configure(check_key_project=False)
    try:
        key = db.Key(foreign)
        assert key.app() == "s~someone-else"
        assert str(key) == foreign
    finally:
        configure(check_key_project=True)


def test_namespace_restriction(project):
    in_tenant = str(db.Key.from_path("K", 1, namespace="tenant"))
    in_other = str(db.Key.from_path("K", 1, namespace="other"))
    configure(key_namespaces=["tenant", ""])
    try:
        assert db.Key(in_tenant).namespace() == "tenant"
        with pytest.raises(db.BadKeyError, match="other"):
            db.Key(in_other)
    finally:
        configure(key_namespaces=None)


def test_non_string_input(project):
    with pytest.raises(db.BadArgumentError):
        db.Key(12345)


@pytest.mark.parametrize(
    "args, kwargs, error",
    [
        ((), {}, db.BadArgumentError),
        (("Kind",), {}, db.BadArgumentError),
        ((1, 2), {}, db.BadArgumentError),
        (("Kind", 1.5), {}, db.BadArgumentError),
        (("Kind", True), {}, db.BadArgumentError),
        (("Kind", ""), {}, db.BadValueError),
        (("Kind", "x" * 1501), {}, db.BadValueError),
        (("Kind", 2 ** 63), {}, ValueError),  # legacy: the protobuf's ValueError (compat's is a BadArgumentError too)
        (("Kind", 1), {"bogus": 1}, db.BadArgumentError),
        (("Kind", 1), {"namespace": "bad namespace!"}, db.BadArgumentError),
    ],
)
def test_from_path_rejects_bad_arguments(project, args, kwargs, error):
    with pytest.raises(error):
        db.Key.from_path(*args, **kwargs)


def test_from_path_parent_checks(project):
    parent = db.Key.from_path("P", 1, namespace="a")
    with pytest.raises(db.BadArgumentError):
        db.Key.from_path("C", 1, parent=parent, namespace="b")
    with pytest.raises(db.BadArgumentError):
        db.Key.from_path("C", 1, parent="not a key")


def test_incomplete_key_cannot_be_stringified(project):
    with pytest.raises(db.BadKeyError):
        str(db.Key())
