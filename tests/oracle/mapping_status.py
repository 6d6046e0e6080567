"""Regenerate the status section of docs/mapping.md from a differential-suite run.

    ORACLE_REPORT=/tmp/report.md .venv/bin/python -m pytest tests/codemods/semantic
    python tests/oracle/mapping_status.py /tmp/report.md docs/mapping.md

Each row of docs/mapping.md's status table names the programs that exercise it
(``ROWS`` below); its status is computed from their outcomes on the ndb side:
"converted exactly" when all match, "converted with a caveat" when the only
differences are declared known differences (their reasons are in
docs/codemods.md), otherwise "not yet" with the failing programs.
"""

import re
import sys

START, END = "<!-- status:start -->", "<!-- status:end -->"

ROWS = [
    ("`db.Model`, `put`, `get_by_id`, `get_by_key_name`, `key_name=`/`parent=`, batches",
     "m001 m004 m005 m011 m012 m014 m018 m019 m020 c002 c015"),
    ("verbose_name as first argument, `name=` (stored names)", "m010"),
    ("`db.allocate_ids`", "c003"),
    ("`Expando` dynamic values", "m002 e001 e002 e003 c008 tz001"),
    ("`PolyModel`, `class_name()`, `class_key()`", "m003 pm001 pm002 pm003 c004"),
    ("`kind()`, custom `kind()` overrides, `properties()`", "m006 s006 m017"),
    ("`e.key()`, `is_saved()`, `has_key()`, `parent()`, `delete()`", "m004 f002 f005 m013 m016"),
    ("`db.to_dict`, `required=`, `choices=`, `validator=`, defaults", "m007 m008 m009 m015 v003"),
    ("overridden `__init__` with legacy keywords, overridden `put()`, legacy hooks", "f006 f016"),
    ("`StringProperty`, `TextProperty`, `Blob/ByteStringProperty`", "p001 p002 s003 c014 f012"),
    ("`Integer/Float/BooleanProperty` and their bounds", "p003 p004 s004 c013 v001"),
    ("`Date/Time/DateTimeProperty`, `auto_now(_add)`", "p005 p006 c012 q015 f020 tz004 tz005"),
    ("aware datetimes (pytz, zoneinfo, fixed offsets)", "f010 tz001 tz002 tz003"),
    ("`Email/Link/Category/PhoneNumber/PostalAddress/IM/Rating` properties and types",
     "p009 p010 p011 s001 s002"),
    ("`GeoPtProperty`, `UserProperty`", "p007 p008 c016"),
    ("`ListProperty`, `StringListProperty` (defaults, required, items)", "f001 p012 p013 p014 c011 v002"),
    ("`ReferenceProperty`, `SelfReferenceProperty`, back-references", "p015 r001 r002 r003 r004 r005 c005 pm003"),
    ("entities as filter and GQL values", "f007 f013 c006 q017"),
    ("`db.Key.from_path`, `str(key)`, `db.Key(encoded)`, key accessors, namespaces",
     "k001 k002 k003 k004 k006 k007 k008 k009 s005 c009"),
    ("comparing and sorting keys, hostile ids and names", "k005 f014 k010 c010"),
    ("`M.all()`, `filter`, `order`, `ancestor`, `fetch`, `get`, projections",
     "q001 q002 q003 q005 q006 q010 q014 q015 q016 q018"),
    ("`keys_only` queries and their shapes", "q004 f015"),
    ("mutable query statements and query helpers", "q008 q016"),
    ("`!=` and `IN` (lists, orders, cursors)", "f008 q011 q012 q019"),
    ("`count()` with limits, `fetch(0)`, `limit 0`, offsets", "f009 f017 q009"),
    ("kindless and ancestor-only queries", "q007"),
    ("query errors (unknown properties, operators, Text orders, bad ancestors)", "q013 v006"),
    ("`cursor()` / `with_cursor()` (also in for loops)", "f003"),
    ("`db.GqlQuery`, `Model.gql`, `bind()`, GQL literals and errors", "g001 g002 g003 g004 g005 g006 py005"),
    ("`run_in_transaction`, options, custom retries, decorators", "t001 t003 t005 t006 c007"),
    ("transaction atomicity, `db.Rollback`, errors, XG failures", "t002 t008 f011 f018"),
    ("nested transactions, queries and `get_or_insert` inside, `non_transactional`",
     "t004 t007 t009 f019"),
    ("method references as values (`db.Key.from_path`, `entity.delete`)", "f004"),
    ("validation errors (types, lists, reserved names, bad arguments)", "v001 v002 v004 v005"),
    ("Python 2 syntax and types", "py001 py002 py003 py004 py005"),
    ("app-shaped modules (blog, counters, wiki, sessions, tags, packages)", "a001 a002 a003 a004 a005 a006"),
    ("other App Engine APIs next to db (memcache)", "c001"),
]


def _outcomes(report):
    out = {}
    for line in open(report, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 4 and cells[1] == "ndb":
            out[cells[2]] = cells[3]
    return out


def _status(prefixes, outcomes):
    names = sorted(n for n in outcomes if any(n == p or n.startswith(p + "_") for p in prefixes))
    failing = [n for n in names if outcomes[n] not in ("match", "known difference")]
    known = [n for n in names if outcomes[n] == "known difference"]

    def short(ns):
        return ", ".join(n.split("_")[0] for n in ns)

    if failing:
        return "not yet: %s" % short(failing), short(names)
    if known:
        return "converted with a caveat (known difference: %s)" % short(known), short(names)
    return "converted exactly", short(names)


def main(report, mapping):
    outcomes = _outcomes(report)
    exact = sum(1 for o in outcomes.values() if o == "match")
    known = sum(1 for o in outcomes.values() if o == "known difference")
    lines = [START, "",
             "ndb side: %d of %d programs match legacy exactly, %d are declared known differences, %d fail "
             "(generated by `tests/oracle/mapping_status.py` from a run of the suite)." % (
                 exact, len(outcomes), known, len(outcomes) - exact - known), "",
             "| construct | `db2ndb --to ndb` | programs |", "|---|---|---|"]
    for row, programs in ROWS:
        status, names = _status(programs.split(), outcomes)
        lines.append("| %s | %s | %s |" % (row, status, names))
    lines += ["", END]
    text = open(mapping, encoding="utf-8").read()
    text = re.sub(re.escape(START) + ".*?" + re.escape(END), "\n".join(lines), text, flags=re.S)
    open(mapping, "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    main(*sys.argv[1:3])
