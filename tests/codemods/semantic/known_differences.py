"""Programs that cannot match legacy on a side, each with what it observes instead and why.

Keyed by side (``ndb`` / ``compat``) then program name. Every entry is listed
in docs/codemods.md ("Known differences"); ``check`` fails if the difference
changes, so a fix shows up as a failing test asking to delete the entry.
"""

from oracle.suite import KnownDifference

KNOWN = {
    "ndb": {
        "f002_is_saved": KnownDifference(
            observed={"named_before": True},
            reason="is_saved() becomes e._has_complete_key(): ndb does not track saving, so an entity made with "
                   "a key name is 'saved' before its first put()",
            todo="DB006",
        ),
        "f005_has_key": KnownDifference(
            observed={"new": False, "named": True, "with_parent": False},
            reason="has_key() becomes e._has_complete_key(): the same truth value, but db returned the key name "
                   "or None instead of True/False",
            todo="DB006",
        ),
        # db's constructor refused to leave out a required property; google-cloud-ndb builds every entity it reads
        # with `Model()` (no arguments, _entity_from_ds_entity), so a constructor check would refuse every load.
        # ndb_legacy's properties refuse None/'' when given (set_none, empty_string match); a property left out
        # is refused at put() ("Entity has uninitialized properties"). DB006 marks the constructor call.
        "m008_required": KnownDifference(
            observed={"missing": {"returns": {"entity": "Order", "key": None, "props": {"qty": 1, "sku": None}}}},
            reason="a constructor call leaving out a required property: db raised BadValueError there, ndb raises at "
                   "put() (ndb builds every entity it loads with Model(), so the constructor cannot check)",
            todo="DB006",
        ),
        # DB014 rewrites dt.replace(tzinfo=<pytz zone>) into zone.localize(dt) on purpose: legacy (and the shim)
        # attach the zone's first historical offset (Tokyo's local mean time, +09:19), a bug in the app's code
        # that shifted every stored value by 19 minutes. The converted program stores the intended 00:00 UTC.
        "tz003_replace_tzinfo_pytz": KnownDifference(
            observed={
                "offset": "9:00:00",
                "stored": {"datetime": "2014-02-02T00:00:00"},
                "@stored": [
                    {"key": {"key": [["Alarm", name]], "ns": ""}, "unindexed": [],
                     "props": {"ring": ["timestamp", None, {"datetime": "2014-02-02T00:00:00"}]}}
                    for name in ("a", "b")
                ],
            },
            reason="DB014 fixes replace(tzinfo=<pytz zone>) (LMT offset +09:19) into zone.localize() (+09:00)",
        ),
        # A Python 2 module that also parses as Python 3 and uses nothing Python-2-only is taken for Python 3
        # (h3: detection cannot be wider without breaking idempotence), so `map(...)` stays lazy: the program
        # observes a map object where Python 2 gave a list. `--py2` converts such files.
        "py003_old_style_handler": KnownDifference(
            observed={"sorted": {"object": "map"}},
            reason="a Python 2 file that parses as Python 3 keeps Python 3 semantics (map() is lazy); use --py2",
        ),
        # Converted page cursors are the shim's WebsafeCursor too (ndb_legacy.websafe_cursor / cursor_after):
        # bytes as the py3 SDK's, formatted as text as Python 2's str was ('/?cursor=%s' % c in make demo).
        "f003_cursor_loop": KnownDifference(
            observed={"cursor_type": "WebsafeCursor"},
            reason="q.cursor() becomes ndb_legacy.websafe_cursor(...): a WebsafeCursor (bytes that format as their "
                   "text, as Python 2's str did in '/?cursor=%s' % c); only the type's name differs from the SDK's bytes",
        ),
        # The same fix inside the blog app's extras.times(): the second time is 9:00 on ndb, 9:19 on legacy.
        "a006_blogapp": KnownDifference(
            observed={"extras.times": ["9:00:00", "9:00:00", "2024-01-01T03:00:00"]},
            reason="DB014 fixes replace(tzinfo=<pytz zone>) (LMT offset +09:19) into zone.localize() (+09:00)",
        ),
    },
    "compat": {
        # The shim's cursor is bytes (as the py3 SDK) that formats as text (as Python 2's str), see
        # docs/differences.md: Python 2-era code that builds links with '/?cursor=%s' % c keeps working.
        "f003_cursor_loop": KnownDifference(
            observed={"cursor_type": "WebsafeCursor"},
            reason="query.cursor() returns a WebsafeCursor (bytes that format as their text, as Python 2's str did "
                   "in '/?cursor=%s' % c); only the type's name differs from the SDK's bytes",
        ),
        # A Python 2 module that also parses as Python 3 and uses nothing Python-2-only is taken for Python 3
        # (h3: detection cannot be wider without breaking idempotence), so `map(...)` stays lazy: the program
        # observes a map object where Python 2 gave a list. `--py2` converts such files.
        "py003_old_style_handler": KnownDifference(
            observed={"sorted": {"object": "map"}},
            reason="a Python 2 file that parses as Python 3 keeps Python 3 semantics (map() is lazy); use --py2",
        ),
    },
}
