"""Programs that cannot match legacy on a side, each with what it observes instead and why.

Keyed by side (``ndb`` / ``compat``) then program name. Every entry is listed
in docs/codemods.md ("Known differences"); ``check`` fails if the difference
changes, so a fix shows up as a failing test asking to delete the entry.
"""

from oracle.suite import KnownDifference

KNOWN = {
    "ndb": {},
    "compat": {},
}
