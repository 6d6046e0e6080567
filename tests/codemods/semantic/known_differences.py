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
    },
    "compat": {},
}
