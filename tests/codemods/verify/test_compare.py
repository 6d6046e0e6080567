"""The comparison alone: what is normalised (ids by rank, timestamps written during the test) and what is not."""

from codemods.verify.compare import compare_test, entity_diff


def _entity(kind, ident, **properties):
    key = {"namespace": "", "path": [[kind, ident]]}
    return {"%s(%r)" % (kind, ident): {"key": key, "properties": properties}}


def _string(value, **flags):
    return dict({"type": "string", "value": value}, **flags)


def test_ids_allocated_in_another_order_match_by_rank_keys_and_references_alike():
    ref = lambda ident: {"type": "key", "value": {"namespace": "", "path": [["A", ident]]}}  # noqa: E731
    left = {**_entity("A", 1, n=_string("x")), **_entity("B", 2, a=ref(1))}
    right = {**_entity("A", 2, n=_string("x")), **_entity("B", 1, a=ref(2))}
    assert entity_diff(left, right) == []
    right_wrong = {**_entity("A", 2, n=_string("y")), **_entity("B", 1, a=ref(2))}
    assert [(d["entity"], d["property"], d["change"]) for d in entity_diff(left, right_wrong)] == [
        ("A('#1')", "n", "value")]


def test_names_are_compared_exactly_and_flags_and_meanings_count():
    left = _entity("A", "k", s=_string("x", meaning=15, excluded=True))
    renamed = entity_diff(left, _entity("A", "k2", s=_string("x", meaning=15, excluded=True)))
    assert [(d["entity"], d["change"]) for d in renamed] == [("A('k')", "entity missing"), ("A('k2')", "entity added")]
    changes = [d["change"] for d in entity_diff(left, _entity("A", "k", s=_string("x")))]
    assert changes == ["meaning", "index"]


def test_timestamps_written_during_the_test_match_within_the_tolerance():
    stamp = lambda text: {"type": "timestamp", "value": text}  # noqa: E731
    left = _entity("A", "k", at=stamp("2026-01-01T10:00:01"), fixed=stamp("2010-01-01T00:00:00"))
    right = _entity("A", "k", at=stamp("2026-01-01T10:05:02"), fixed=stamp("2010-01-01T00:00:00"))
    starts = ("2026-01-01T10:00:00", "2026-01-01T10:05:00")
    assert entity_diff(left, right, *starts, time_tolerance=5) == []
    assert [d["property"] for d in entity_diff(left, right, *starts, time_tolerance=0.5)] == ["at"]
    moved = _entity("A", "k", at=stamp("2026-01-01T10:05:02"), fixed=stamp("2010-01-01T00:00:03"))
    assert [d["property"] for d in entity_diff(left, moved, *starts)] == ["fixed"]


def test_outcomes_compare_with_the_exception_class():
    passed = {"outcome": "passed", "exception": None, "entities": {}}
    failed = {"outcome": "failed", "exception": "KindError", "entities": {}}
    assert compare_test("t", passed, dict(passed))["status"] == "identical"
    verdict = compare_test("t", passed, failed)
    assert (verdict["status"], verdict["converted"]) == ("differs", "failed (KindError)")
    assert compare_test("t", passed, None)["status"] == "one side only"
