"""Observations of the compat differential suite that cannot match the legacy SDK, each with its reason.

Keyed by program, then label: the value compat observes instead (normalised
JSON; an exception record matches by class). Each entry is listed, with its
reason, in docs/differences.md; ``oracle.suite.check`` fails when a
difference changes, so a fix shows up as a failing test asking to remove
the entry.
"""

from oracle.suite import KnownDifference


def _error(name, *bases):
    """What compat raises, as the suite records it (compared by class only)."""
    return {"raises": name, "mro": [name] + list(bases) + ["Error", "Exception"], "message": ""}


NAN_GEOPT = ("A GeoPt with a NaN coordinate: the legacy stub stored it, Cloud Datastore has no representation for "
             "it (a geo point must be numbers; the legacy SDK's own cloud_datastore_validator refuses it too), so "
             "compat refuses it before any RPC with the class production raised.")
RESERVED = ("Names and kinds of the form __*__ are reserved: the legacy stub stored them, production and the "
            "emulator refuse the write with BadRequestError (nothing is written).")
KEY_STRING_CURSOR = ("A key string given as a cursor: the legacy stub read it as a cursor of another query and "
                     "ignored it; Cloud Datastore refuses it, and compat refuses it before any RPC (issue 15).")
WEBSAFE_CURSOR = ("query.cursor() and websafe_encode_cursor() return a WebsafeCursor: bytes, as the legacy SDK "
                  "returns on Python 3, that formats as its text ('%s' % c, format(), str()) as Python 2's str did, "
                  "so Python 2-era links such as '/?cursor=%s' % c keep working; type(c).__name__ differs.")

INCOMPLETE_PARENT = ("A key string whose parent element has no id or name: the legacy SDK decoded it into a key "
                     "that failed later (AssertionError at db.get / db.delete); compat refuses the string when it is "
                     "decoded, with BadKeyError naming the incomplete element (untrusted key strings get a precise "
                     "error).")

KNOWN = {
    "h03_key_hostile_inputs": KnownDifference(
        {label + "/incomplete_parent": _error("BadKeyError") for label in ("Key", "get", "get_list", "delete")}
        | {"delete/kind_reserved": _error("BadRequestError"), "delete/name_reserved": _error("BadRequestError")}
        | {label + "/namespace_bad": _error("BadRequestError") for label in ("get", "get_list", "delete")},
        INCOMPLETE_PARENT + " Deleting a key of a reserved kind or name: " + RESERVED + " A key string whose "
        "namespace is not a legal namespace ('bad ns!'): the legacy stub looked it up and found nothing, the "
        "datastore refuses it with BadRequestError (\"Illegal string ... in namespace id\")."),
    "h01_property_hostile_values": KnownDifference(
        {"geopt/nan_geopt/stored": _error("BadRequestError")}, NAN_GEOPT),
    "h02_expando_hostile_values": KnownDifference(
        {"nan_geopt/stored": _error("BadRequestError")}, NAN_GEOPT),
    "h04_cursor_hostile_inputs": KnownDifference(
        {label + "/key_string": _error("BadValueError") for label in (
            "with_cursor_start", "with_cursor_end", "gql_with_cursor", "query_cursor_argument", "count_from",
            "run_decoded_start", "fetch_decoded_end")}
        | {"cursor_type": "WebsafeCursor", "encode_cursor": {"returns": "WebsafeCursor"}},
        KEY_STRING_CURSOR + " " + WEBSAFE_CURSOR),
    "h05_batches_transactions_limits": KnownDifference(
        {"after_big": [[["a", 2], ["child", 2], ["d3", 0], ["d4", 0], ["h1", 0], ["h2", 0], ["p", 1], ["under", 0], ["x25_0", 0], ["x25_1", 1], ["x25_10", 10], ["x25_11", 11], ["x25_12", 12], ["x25_13", 13], ["x25_14", 14], ["x25_15", 15], ["x25_16", 16], ["x25_17", 17], ["x25_18", 18], ["x25_19", 19], ["x25_2", 2], ["x25_20", 20], ["x25_21", 21], ["x25_22", 22], ["x25_23", 23], ["x25_24", 24], ["x25_3", 3], ["x25_4", 4], ["x25_5", 5], ["x25_6", 6], ["x25_7", 7], ["x25_8", 8], ["x25_9", 9], ["x2_0", 0], ["x2_1", 1]], 0]},
        "A batch put with one entity over 1 MiB: legacy sent one RPC per entity group and had stored the "
        "entities before the oversize one ('small' here) when RequestTooLargeError came; compat checks every "
        "entity before any RPC and writes nothing (issue 15: nothing is written when a call fails)."),
    "h10_call_arguments_hostile": KnownDifference(
        {"count_offset/negative": _error("BadArgumentError"), "allocate_id_range_start/one": {"returns": "Empty"}},
        "count(offset=-1): legacy counted one entity more than the query has (a bug); compat refuses a negative "
        "offset as fetch() does. allocate_id_range on a fresh range: the legacy stub's sequential allocator "
        "answered KEY_RANGE_CONTENTION, Cloud Datastore's scattered ids leave it empty (docs/differences.md)."),
    "h07_metadata_and_stats": KnownDifference(
        {"entity_group_version_positive": {"returns": True}, "entity_group_get": {"returns": True},
         "write_metadata": _error("BadRequestError"), "stat_write": _error("BadRequestError")},
        "Entity-group versions: the legacy testbed stub (no high-replication consistency policy) keeps none and "
        "answers None, the emulator keeps them as production's high-replication datastore did. Writing a "
        "metadata or statistics entity: " + RESERVED),
}
