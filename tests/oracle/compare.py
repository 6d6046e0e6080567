"""Comparing a side's observations with the legacy golden.

Values are compared as canonical JSON (so ``1`` and ``1.0`` differ, list order
counts). Exceptions (``{"raises": ...}``) compare by class:

* on the shim (modes ``compat`` and ``install``) the legacy class name must be
  in the MRO of what the shim raised: every shim error is the legacy class or a
  subclass of it;
* on converted ndb code, the legacy class name in the MRO, or one of the classes
  ``NDB_EQUIVALENTS`` lists for it: what google-cloud-ndb, Python and
  google.api_core raise in the situations legacy raised that error, i.e. what
  db2ndb's converted ``except`` clauses (rule DB015) catch.

The message is never compared. A side that stopped early shows an ``!import``
or ``!crash`` observation where the legacy run went on.
"""

import json

from oracle.program import CRASH_LABEL, IMPORT_LABEL

# legacy class -> classes converted ndb code legitimately raises instead (matched against the MRO names)
NDB_EQUIVALENTS = {
    "BadValueError": ("ValueError",),
    "BadKeyError": ("ValueError", "TypeError", "DecodeError", "BadArgumentError", "KindError"),
    "BadArgumentError": ("ValueError", "TypeError", "InvalidArgument"),
    "BadFilterError": ("BadFilterError", "BadQueryError"),
    "BadQueryError": ("BadQueryError", "BadFilterError", "BadArgumentError"),
    "BadRequestError": ("InvalidArgument",),
    "TransactionFailedError": ("Aborted", "Conflict", "RetryError"),
    "Timeout": ("DeadlineExceeded",),
    "NeedIndexError": ("FailedPrecondition",),
    "InternalError": ("InternalServerError",),
}

SHIM_MODES = ("compat", "install")


def _canonical(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _is_exception(value):
    return isinstance(value, dict) and "raises" in value and "mro" in value


def exception_matches(mode, legacy, observed):
    """Whether ``observed`` (an exception record) is an acceptable counterpart of ``legacy``'s on this side."""
    names = set(observed["mro"])
    if legacy["raises"] in names:
        return True
    return mode not in SHIM_MODES and bool(names & set(NDB_EQUIVALENTS.get(legacy["raises"], ())))


def values_match(mode, legacy, observed):
    """Whether one observation matches, exceptions by class (recursively, e.g. a list of records)."""
    if _is_exception(legacy) and _is_exception(observed):
        return exception_matches(mode, legacy, observed)
    if isinstance(legacy, list) and isinstance(observed, list):
        return len(legacy) == len(observed) and all(values_match(mode, a, b) for a, b in zip(legacy, observed))
    if isinstance(legacy, dict) and isinstance(observed, dict) and not _is_exception(legacy):
        return legacy.keys() == observed.keys() and all(values_match(mode, legacy[k], observed[k]) for k in legacy)
    return _canonical(legacy) == _canonical(observed)


def differences(mode, golden, observed):
    """The observations that differ, as (label, legacy value, observed value); [] when the side matches.

    Observations are paired by position; a label missing on one side is paired with None.
    """
    out = []
    for index in range(max(len(golden), len(observed))):
        legacy = golden[index] if index < len(golden) else [None, None]
        ours = observed[index] if index < len(observed) else [None, None]
        if legacy[0] != ours[0] or not values_match(mode, legacy[1], ours[1]):
            out.append((legacy[0] if legacy[0] is not None else ours[0], legacy, ours))
    return out


def diagnose(mode, golden, observed):
    """A one-line diagnosis: ``match``, ``import failure: ...``, ``crash ...``, ``value mismatch at ...``."""
    return _diagnosis(mode, golden, observed)[1]


def signature(mode, golden, observed):
    """The coarse form of the diagnosis (category, labels, exception class): stable across line-number changes."""
    return _diagnosis(mode, golden, observed)[0]


def _diagnosis(mode, golden, observed):
    diffs = differences(mode, golden, observed)
    if not diffs:
        return "match", "match"
    golden_labels = {label for label, _ in golden}
    for label, value in observed:
        if label == IMPORT_LABEL and IMPORT_LABEL not in golden_labels:
            return ("import failure: %s" % value["raises"],
                    "import failure: %s: %s" % (value["raises"], value["message"][:160]))
        if label == CRASH_LABEL and CRASH_LABEL not in golden_labels:
            done = sum(1 for name, _ in observed if not name.startswith(("!", "@")))
            after = golden[done][0] if done < len(golden) else "the end"
            where = value.get("where", [""])[-1].strip()
            return ("crash at %s: %s" % (after, value["raises"]),
                    "crash at %s: %s: %s [%s]" % (after, value["raises"], value["message"][:160], where))
    labels = ", ".join(str(label) for label, _, _ in diffs[:6])
    return "value mismatch at %s" % labels, "value mismatch at %s" % labels


def explain(mode, golden, observed):
    """A readable multi-line account of every difference (for assertion messages)."""
    lines = []
    for label, legacy, ours in differences(mode, golden, observed):
        lines.append("  %s:\n    legacy: %s\n    %-6s: %s" % (label, _canonical(legacy[1])[:400], mode,
                                                           _canonical(ours[1])[:400]))
        if ours[0] != legacy[0]:
            lines.append("    (label on this side: %s)" % (ours[0],))
    return "\n".join(lines)
