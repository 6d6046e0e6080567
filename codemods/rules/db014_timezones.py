"""DB014: pytz zones attached with replace(tzinfo=...) / datetime(..., tzinfo=...), aware datetimes."""

from __future__ import annotations

from typing import Optional

import libcst as cst
from libcst.metadata import Assignment

from codemods.framework.rule import Rule
from codemods.rules._common import arg, method, method_of



class TimezonesRule(Rule):
    """DB014 time zones: ``replace(tzinfo=<pytz zone>)`` becomes ``zone.localize(...)``.

        JST = pytz.timezone('Asia/Tokyo')
        dt.replace(tzinfo=JST)                      JST.localize(dt)
        dt.replace(hour=9, tzinfo=JST)              JST.localize(dt.replace(hour=9))
        datetime.datetime(2020, 1, 1, tzinfo=JST)   JST.localize(datetime.datetime(2020, 1, 1))

    A pytz zone's default offset is its first historical one (Local Mean
    Time): ``replace(tzinfo=pytz.timezone('Asia/Tokyo'))`` gives ``+09:19``,
    not ``+09:00``; ``localize`` picks the right offset. UTC and non-pytz
    zones are left alone. Aware datetimes assigned to a converted
    ``DateTimeProperty`` need nothing more: DB003 makes it
    ``ndb_legacy.DateTimeProperty``, which stores them as UTC and reads back
    naive UTC as db did (plain ndb would raise BadValueError).
    """

    TODOS = ()
    ID = "DB014"
    TITLE = "replace(tzinfo=pytz zone) -> zone.localize(); DateTimeProperty and aware datetimes"

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call):
        func = original_node.func
        tz = self.keyword(original_node, "tzinfo")
        if tz is None or not self._is_pytz_zone(tz.value):
            return updated_node
        updated_tz = self.keyword(updated_node, "tzinfo")
        rest = [a for a in updated_node.args if a is not updated_tz]
        if isinstance(func, cst.Attribute) and func.attr.value == "replace":
            inner = (method_of(updated_node).value if not rest
                     else updated_node.with_changes(args=_tidy(rest)))
        elif self._is_datetime_class(func):
            inner = updated_node.with_changes(args=_tidy(rest))
        else:
            return updated_node
        assert updated_tz is not None  # the original call has it, and no rule drops it
        self.converted()
        return method(updated_tz.value, "localize", [arg(inner)])

    def _is_datetime_class(self, func) -> bool:
        names = self.types.qualnames(func) if isinstance(func, (cst.Name, cst.Attribute)) else set()
        return "datetime.datetime" in names

    def _is_pytz_zone(self, node: cst.BaseExpression, depth: int = 0) -> bool:
        if isinstance(node, cst.Call) and isinstance(node.func, (cst.Name, cst.Attribute)):
            if "pytz.timezone" in self.types.qualnames(node.func):
                if node.args and isinstance(node.args[0].value, cst.SimpleString):
                    return node.args[0].value.evaluated_value.upper() not in ("UTC", "ETC/UTC", "GMT")
                return True
            return False
        if isinstance(node, cst.Name) and depth < 3:
            value = self._single_value(node)
            return value is not None and self._is_pytz_zone(value, depth + 1)
        return False

    def _single_value(self, name: cst.Name) -> Optional[cst.BaseExpression]:
        scope = self.types.scopes.get(name)
        if scope is None or name.value not in scope:
            return None
        assignments = list(scope[name.value])
        if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
            return None
        bound = self.types.bounds.get(assignments[0].node)
        return bound.value if bound is not None and bound.how == "value" else None


def _tidy(args):
    args = list(args)
    if args:
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return args
