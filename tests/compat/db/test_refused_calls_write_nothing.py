"""A call compat refuses writes nothing: checked through the raw google-cloud-datastore client.

Each case is a legacy behaviour of issue 15 that refuses a put, a batch or a
transaction (the 1 MiB limit, entity groups, key checks, unstorable values);
the raw client then reads the emulator directly (never through compat) and
finds none of the call's entities. ``counted`` shows which refusals happen
before any RPC.
"""

import pytest

from compat import apiproxy_errors, db

XG = db.create_transaction_options(xg=True)
BIG = 1024 * 1024 + 10


class Note(db.Model):
    n = db.IntegerProperty()
    blob = db.BlobProperty()
    text = db.TextProperty()
    tags = db.ListProperty(int)
    where = db.GeoPtProperty()
    title = db.StringProperty()


class Loose(db.Expando):
    pass


def _names(raw, kind="Note"):
    query = raw.client.query(kind=kind)
    query.keys_only()
    return sorted(entity.key.id_or_name for entity in query.fetch())


REFUSED_BATCHES = [
    ("an entity over 1 MiB", lambda: [Note(key_name="ok", n=1), Note(key_name="big", blob=b"x" * BIG)],
     apiproxy_errors.RequestTooLargeError),
    ("two values of 600 kB", lambda: [Note(key_name="ok", n=1),
                                      Note(key_name="halves", blob=b"x" * 600000, text="y" * 600000)],
     apiproxy_errors.RequestTooLargeError),
    ("an int beyond 64 bits in a list", lambda: [Note(key_name="ok", n=1), Note(key_name="int", tags=[2 ** 64])],
     OverflowError),
    ("a lone surrogate", lambda: [Note(key_name="ok", n=1), Note(key_name="s", title="a\ud800b")],
     db.BadRequestError),
    ("a NaN GeoPt", lambda: [Note(key_name="ok", n=1), Note(key_name="nan", where=db.GeoPt(float("nan"), 0))],
     db.BadRequestError),
    ("a negative id", lambda: [Note(key_name="ok", n=1), Note(key=db.Key.from_path("Note", -1))], db.BadValueError),
    ("an incomplete parent", lambda: [Note(key_name="ok", n=1), Note(parent=db.Key.from_path("Note", 0))],
     db.BadKeyError),
    ("a key with both an id and a name", lambda: [Note(key_name="ok", n=1), Note(key=_both_id_and_name())],
     db.BadRequestError),
]


def _both_id_and_name():
    from google.cloud.datastore import _app_engine_key_pb2
    import base64

    key = db.Key.from_path("Note", "named")
    reference = _app_engine_key_pb2.Reference()
    reference.ParseFromString(base64.urlsafe_b64decode(str(key) + "=" * (-len(str(key)) % 4)))
    reference.path.element[0].id = 5
    return db.Key(base64.urlsafe_b64encode(reference.SerializeToString()).decode())


@pytest.mark.parametrize("label, build, error", REFUSED_BATCHES, ids=[case[0] for case in REFUSED_BATCHES])
def test_a_refused_batch_writes_nothing_and_sends_no_commit(raw, counted, label, build, error):
    notes = build()
    counted.reset_counts()
    with pytest.raises(error):
        db.put(notes)
    assert counted.calls["Commit"] == 0, label
    assert _names(raw) == []


def test_an_oversize_expando_is_refused_before_any_rpc(raw, counted):
    bag = Loose(key_name="bag")
    for index in range(3):
        setattr(bag, "p%d" % index, db.Text("x" * 400000))
    with pytest.raises(apiproxy_errors.RequestTooLargeError):
        bag.put()
    assert counted.calls["Commit"] == 0
    assert _names(raw, "Loose") == []


@pytest.mark.parametrize("options, work, error", [
    (None, lambda: (Note(key_name="a").put(), Note(key_name="b").put()), db.BadRequestError),
    (None, lambda: (db.get(db.Key.from_path("Note", "x")), Note(key_name="b").put()), db.BadRequestError),
    (XG, lambda: db.put([Note(key_name="x%d" % i) for i in range(26)]), db.BadRequestError),
    (None, lambda: Note(key_name="big", blob=b"x" * BIG).put(), apiproxy_errors.RequestTooLargeError),
    (None, lambda: (Note(key_name="a").put(), Loose(key_name="t", t=(1, 2)).put()), db.BadValueError),
], ids=["non-xg two groups", "non-xg read then write", "xg 26 groups", "oversize", "expando tuple"])
def test_a_refused_transaction_writes_nothing(raw, counted, options, work, error):
    counted.reset_counts()
    with pytest.raises(error):
        db.run_in_transaction_options(options, work)
    assert counted.calls["Commit"] == 0
    assert _names(raw) == [] and _names(raw, "Loose") == []


def test_duplicate_keys_in_one_batch_write_the_last_once(raw, counted):
    counted.reset_counts()
    keys = db.put([Note(key_name="d", n=1), Note(key_name="e", n=1), Note(key_name="d", n=2)])
    assert [key.name() for key in keys] == ["d", "e", "d"]
    assert counted.calls["Commit"] == 1
    assert raw.entity(db.Key.from_path("Note", "d"))["n"] == 2
    db.delete([keys[0], keys[0], str(keys[1])])
    assert _names(raw) == []


def test_keys_no_entity_can_have_need_no_rpc(raw, counted):
    counted.reset_counts()
    assert db.get(db.Key.from_path(*(["Note", 1] * 101))) is None
    assert counted.calls["Lookup"] == 0, counted.calls
    long_name = db.Key.from_path("Note", "n")._ds
    from google.cloud.datastore.key import Key as DsKey

    assert db.get(db.Key._from_ds(DsKey("Note", "n" * 3000, project=long_name.project))) is None
    assert counted.calls["Lookup"] == 0, counted.calls
    db.delete(db.Key.from_path(*(["Note", 1] * 101)))
    assert counted.calls["Commit"] == 0, counted.calls
