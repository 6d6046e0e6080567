"""Compare one test's two runs: outcome, and every stored entity down to meanings and index flags.

Only what is genuinely unstable between two runs is normalised:

* **Auto-allocated ids.** The emulator allocates 1, 2, 3 ... from a counter
  reset before each test, so identical code gets identical ids; where the
  converted code allocates in another order (or one more id), integer ids
  are compared by their rank per kind in that test (the n-th smallest id of
  kind K on one side matches the n-th on the other), in keys and in key
  values alike. Names are compared exactly.
* **Timestamps written during the test** (``auto_now``, ``now()``): two
  timestamps that differ are still equal when each one's distance from its
  own side's test start differs by at most ``time_tolerance`` seconds
  (default 5). A fixed datetime differs as soon as it differs.

Everything else is compared exactly: value type, value, meaning, index flag.
"""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional

from codemods.verify.snapshot import key_label, meaning_name


def _id_ranks(entities: Dict[str, dict]) -> Dict[tuple, int]:
    """``{(namespace, kind, id): rank}`` over every integer id in keys and key values."""
    seen: Dict[tuple, set] = {}

    def visit_key(key):
        for kind, ident in key["path"]:
            if isinstance(ident, int):
                seen.setdefault((key["namespace"], kind), set()).add(ident)

    def visit_value(value):
        if value["type"] == "key":
            visit_key(value["value"])
        elif value["type"] == "array":
            for item in value["value"]:
                visit_value(item)
        elif value["type"] == "entity":
            for inner in value["value"].values():
                visit_value(inner)

    for entity in entities.values():
        visit_key(entity["key"])
        for value in entity["properties"].values():
            visit_value(value)
    ranks = {}
    for (namespace, kind), ids in seen.items():
        for rank, ident in enumerate(sorted(ids), start=1):
            ranks[(namespace, kind, ident)] = rank
    return ranks


def _normal_key(key: dict, ranks: Dict[tuple, int]) -> dict:
    path = []
    for kind, ident in key["path"]:
        if isinstance(ident, int):
            ident = "#%d" % ranks[(key["namespace"], kind, ident)]
        path.append([kind, ident])
    return {"namespace": key["namespace"], "path": path}


def _normal_value(value: dict, ranks: Dict[tuple, int]) -> dict:
    out = dict(value)
    if value["type"] == "key":
        out["value"] = _normal_key(value["value"], ranks)
    elif value["type"] == "array":
        out["value"] = [_normal_value(item, ranks) for item in value["value"]]
    elif value["type"] == "entity":
        out["value"] = {name: _normal_value(inner, ranks) for name, inner in value["value"].items()}
    return out


def normalise(entities: Dict[str, dict]) -> Dict[str, dict]:
    """The snapshot with integer ids replaced by their per-kind rank (``#1``, ``#2`` ...)."""
    ranks = _id_ranks(entities)
    out = {}
    for entity in entities.values():
        key = _normal_key(entity["key"], ranks)
        out[key_label(key)] = {
            "key": key, "raw_key": key_label(entity["key"]),
            "properties": {name: _normal_value(value, ranks) for name, value in entity["properties"].items()},
        }
    return out


def _parse_time(text: Optional[str]) -> Optional[datetime.datetime]:
    try:
        return datetime.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


class _Timing:
    def __init__(self, start_original, start_converted, tolerance):
        self.starts = (_parse_time(start_original), _parse_time(start_converted))
        self.tolerance = tolerance

    def same(self, a: str, b: str) -> bool:
        if a == b:
            return True
        left, right = _parse_time(a), _parse_time(b)
        if None in (left, right) or None in self.starts:
            return False
        drift = (left - self.starts[0]) - (right - self.starts[1])
        return abs(drift.total_seconds()) <= self.tolerance


def _describe(value: dict) -> str:
    if value is None:
        return "(absent)"
    text = "%s %s" % (value["type"], _short(value["value"]))
    if value.get("meaning"):
        text += ", meaning %s" % meaning_name(value["meaning"])
    text += ", excluded from indexes" if value.get("excluded") else ", indexed"
    return text


def _short(value: Any) -> str:
    if isinstance(value, dict) and "path" in value:
        return key_label(value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _compare_values(path: str, left: dict, right: dict, timing: _Timing, out: List[dict], entity: str) -> None:
    def add(change, detail_left, detail_right):
        out.append({"entity": entity, "property": path, "change": change,
                    "original": detail_left, "converted": detail_right})

    if left["type"] != right["type"]:
        add("type", _describe(left), _describe(right))
        return
    if left["type"] == "array":
        if len(left["value"]) != len(right["value"]):
            add("value", _describe(left), _describe(right))
        else:
            for index, (a, b) in enumerate(zip(left["value"], right["value"])):
                _compare_values("%s[%d]" % (path, index), a, b, timing, out, entity)
    elif left["type"] == "entity":
        names = sorted(set(left["value"]) | set(right["value"]))
        for name in names:
            a, b = left["value"].get(name), right["value"].get(name)
            if a is None or b is None:
                add("property missing" if b is None else "property added", _describe(a), _describe(b))
            else:
                _compare_values("%s.%s" % (path, name), a, b, timing, out, entity)
    elif left["type"] == "timestamp":
        if not timing.same(left["value"], right["value"]):
            add("value", _describe(left), _describe(right))
    elif left["value"] != right["value"]:
        add("value", _describe(left), _describe(right))
    if left.get("meaning") != right.get("meaning"):
        add("meaning", "meaning %s" % meaning_name(left.get("meaning")) if left.get("meaning") else "no meaning",
            "meaning %s" % meaning_name(right.get("meaning")) if right.get("meaning") else "no meaning")
    if bool(left.get("excluded")) != bool(right.get("excluded")):
        add("index", "excluded from indexes" if left.get("excluded") else "indexed",
            "excluded from indexes" if right.get("excluded") else "indexed")


def entity_diff(original: Dict[str, dict], converted: Dict[str, dict], start_original: Optional[float] = None,
                start_converted: Optional[float] = None, time_tolerance: float = 5.0) -> List[dict]:
    """Every difference between two snapshots, one dict per entity/property change."""
    left, right = normalise(original), normalise(converted)
    timing = _Timing(start_original, start_converted, time_tolerance)
    out: List[dict] = []
    for label in sorted(set(left) | set(right)):
        a, b = left.get(label), right.get(label)
        if a is None:
            assert b is not None  # the label is one side's
            out.append({"entity": label, "property": None, "change": "entity added",
                        "original": "(absent)", "converted": "%d properties" % len(b["properties"])})
            continue
        if b is None:
            out.append({"entity": label, "property": None, "change": "entity missing",
                        "original": "%d properties" % len(a["properties"]), "converted": "(absent)"})
            continue
        for name in sorted(set(a["properties"]) | set(b["properties"])):
            va, vb = a["properties"].get(name), b["properties"].get(name)
            if va is None or vb is None:
                out.append({"entity": label, "property": name,
                            "change": "property missing" if vb is None else "property added",
                            "original": _describe(va), "converted": _describe(vb)})
            else:
                _compare_values(name, va, vb, timing, out, label)
    return out


def outcome_label(record: Optional[dict]) -> str:
    """``passed``, ``failed (KindError)``, ``not run``."""
    if record is None:
        return "not run"
    if record.get("exception"):
        return "%s (%s)" % (record["outcome"], record["exception"])
    return record["outcome"]


def compare_test(nodeid: str, original: Optional[dict], converted: Optional[dict],
                 time_tolerance: float = 5.0) -> dict:
    """The verdict for one test: ``identical``, ``differs`` or ``one side only``, with the diff."""
    result: Dict[str, Any] = {"test": nodeid, "original": outcome_label(original),
                              "converted": outcome_label(converted)}
    if original is None or converted is None:
        result.update(status="one side only", differences=[])
        return result
    differences = entity_diff(original.get("entities", {}), converted.get("entities", {}),
                              original.get("start"), converted.get("start"), time_tolerance)
    same_outcome = result["original"] == result["converted"]
    result["differences"] = differences
    result["status"] = "identical" if same_outcome and not differences else "differs"
    return result
