"""Module functions: ``db.get / put / delete`` on one value or a list, their ``_async`` forms,
``allocate_ids`` and ``allocate_id_range``."""

import pytest

from compat import db


class BatchA(db.Model):
    n = db.IntegerProperty()


class BatchB(db.Model):
    s = db.StringProperty()


def test_get_one_and_missing(raw):
    key = BatchA(n=1).put()
    assert db.get(key).n == 1
    assert db.get(str(key)).n == 1
    assert db.get(db.Key.from_path("BatchA", 424242)) is None


def test_get_list_keeps_order_with_none_for_missing_and_mixed_kinds(raw, counted):
    a = BatchA(key_name="a", n=1).put()
    b = BatchB(key_name="b", s="x").put()
    missing = db.Key.from_path("BatchB", "missing")
    counted.reset_counts()

    results = db.get([b, missing, a, str(b), a])

    assert counted.calls["Lookup"] == 1  # one batch for the whole list
    assert [type(r).__name__ if r else None for r in results] == ["BatchB", None, "BatchA", "BatchB", "BatchA"]
    assert results[0].s == "x" and results[2].n == 1
    assert db.get([]) == []
    assert db.get((a,))[0].n == 1


@pytest.mark.parametrize("bad, error", [(42, db.BadArgumentError), (None, db.BadArgumentError),
                                        ("not-a-key", db.BadKeyError)])
def test_get_refuses_bad_keys(bad, error):
    with pytest.raises(error):
        db.get(bad)


def test_put_one_and_a_list_in_order_as_one_commit(raw, counted):
    single = db.put(BatchA(n=0))
    assert isinstance(single, db.Key)
    counted.reset_counts()

    models = [BatchA(n=1), BatchB(key_name="b", s="s"), BatchA(key_name="a", n=2)]
    keys = db.put(models)

    assert [k.kind() for k in keys] == ["BatchA", "BatchB", "BatchA"]
    assert keys[1].name() == "b" and keys[2].name() == "a"
    assert [m.key() for m in models] == keys
    assert counted.calls["Commit"] == 1
    assert raw.count("BatchA") == 3 and raw.count("BatchB") == 1


def test_put_refuses_non_models_before_any_rpc(raw, counted):
    with pytest.raises(db.BadArgumentError):
        db.put([BatchA(n=1), "not a model"])
    assert counted.calls["Commit"] == 0
    assert raw.count("BatchA") == 0


def test_delete_accepts_keys_strings_instances_one_or_many(raw):
    instances = [BatchA(key_name=str(n), n=n) for n in range(5)]
    keys = db.put(instances)

    db.delete(keys[0])
    db.delete(str(keys[1]))
    db.delete(instances[2])
    db.delete([keys[3], instances[4], db.Key.from_path("BatchA", "never-existed")])

    assert raw.count("BatchA") == 0
    assert db.get(keys) == [None] * 5


def test_delete_refuses_incomplete_or_bad_values():
    with pytest.raises(db.BadArgumentError):
        db.delete(42)
    with pytest.raises((db.NotSavedError, db.BadKeyError)):
        db.delete(BatchA())


def test_async_variants(raw):
    put_rpc = db.put_async([BatchA(key_name="x", n=1), BatchB(key_name="y", s="y")])
    keys = put_rpc.get_result()
    assert put_rpc.done()
    assert [k.name() for k in keys] == ["x", "y"]

    first, second = db.get_async(keys[0]), db.get_async(keys)
    assert first.get_result().n == 1
    assert [type(m).__name__ for m in second.get_result()] == ["BatchA", "BatchB"]
    assert first.get_result() is first.get_result()  # the result is kept

    delete_rpc = db.delete_async(keys)
    assert delete_rpc.get_result() is None
    assert raw.count("BatchA") == 0 and raw.count("BatchB") == 0


def test_async_errors_surface_as_legacy_errors_on_get_result(raw):
    rpc = db.put_async(BatchB(s="日本" * 400))
    with pytest.raises(db.BadRequestError):
        rpc.get_result()
    with pytest.raises(db.BadRequestError):
        rpc.check_success()
    assert raw.count("BatchB") == 0


def test_allocate_ids_reserves_a_contiguous_range_no_automatic_id_falls_into(raw):
    template = BatchA(key_name="template")
    template.put()
    start, end = db.allocate_ids(template, 10)
    assert end - start == 9 and start >= 1
    key_start, key_end = db.allocate_ids(db.Key.from_path("BatchA", 1), 5)
    assert key_end - key_start == 4
    assert key_start > end or key_end < start
    string_start, string_end = db.allocate_ids(str(db.Key.from_path("BatchA", 1)), 1)
    assert string_start == string_end

    automatic = [k.id() for k in db.put([BatchA(n=n) for n in range(30)])]
    assert not [ident for ident in automatic if start <= ident <= end or key_start <= ident <= key_end]


def test_allocate_ids_with_a_parent_and_bad_arguments(raw):
    parent = db.Key.from_path("BatchB", "p")
    start, end = db.allocate_ids(BatchA(parent=parent, key_name="t"), 3)
    assert end == start + 2
    for bad in (0, -1, 1.5, True, 1001):
        with pytest.raises(db.BadArgumentError):
            db.allocate_ids(db.Key.from_path("BatchA", 1), bad)
    with pytest.raises(db.BadArgumentError, match="not a class"):
        db.allocate_ids(BatchA, 1)
    with pytest.raises(db.NotSavedError):
        db.allocate_ids(BatchA(), 1)


def test_allocate_id_range_reports_empty_or_collision(raw):
    template = db.Key.from_path("BatchA", 1)
    assert db.allocate_id_range(template, 5000, 5010) == db.KEY_RANGE_EMPTY
    BatchA(key=db.Key.from_path("BatchA", 6005)).put()
    assert db.allocate_id_range(template, 6000, 6010) == db.KEY_RANGE_COLLISION
    assert db.allocate_id_range(template, 7000, 7000) == db.KEY_RANGE_EMPTY
    with pytest.raises(db.BadArgumentError, match="must both be > 0"):
        db.allocate_id_range(template, 0, 5)
    with pytest.raises(db.BadArgumentError, match="cannot be less than start"):
        db.allocate_id_range(template, 10, 5)
