"""Golden files from the legacy SDK: ``python tests/oracle/legacy.py PROGRAMS_DIR GOLDEN_DIR [NAME ...]``.

Runs in ``.venv-legacy`` (appengine-python-standard, created by ``make golden``),
never in the project's venv. Each program gets a fresh testbed (datastore_v3 stub
with scattered ids, memcache stub, the default app id ``testbed-test``), runs
once, and its observations are written to ``GOLDEN_DIR/<name>.json``.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/, for ``oracle``

from oracle import program  # noqa: E402
from oracle.observe import Allocations, legacy_stored_form  # noqa: E402


def _read_stored():
    """Every entity of the default namespace, raw from the stub (v3 value classes), in stored form."""
    from google.appengine.api import datastore

    out = []
    for entity in datastore.Query().Run():
        key = entity.key()
        if key.kind().startswith("__"):
            continue
        unindexed = set(entity.unindexed_properties())
        props = {name: legacy_stored_form(value, name in unindexed) for name, value in entity.items()}
        out.append((key, props, unindexed))
    return out


def _watch_allocations(stub, allocations):
    """Record the ids the datastore stub allocates (Put of an incomplete key, AllocateIds)."""
    call = stub.MakeSyncCall

    def watched(service, method, request, response, *args, **kwargs):
        result = call(service, method, request, response, *args, **kwargs)
        if method == "Put":
            for sent, got in zip(request.entity, response.key):
                last = sent.key.path.element[-1]
                if not last.id and not last.name:
                    allocations.add(got.path.element[-1].id)
        elif method == "AllocateIds":
            allocations.add_range(response.start, response.end)
        return result

    stub.MakeSyncCall = watched


def _run_one(path):
    from google.appengine.datastore import datastore_stub_util
    from google.appengine.ext import db, testbed
    from google.appengine.ext.db import polymodel

    kinds, classes = dict(db._kind_map), dict(polymodel._class_map)
    bed = testbed.Testbed()
    bed.activate()
    try:
        bed.setup_env(overwrite=True, tz="UTC")
        bed.init_datastore_v3_stub(auto_id_policy=datastore_stub_util.SCATTERED)
        bed.init_memcache_stub()
        bed.init_capability_stub()
        allocations = Allocations()
        _watch_allocations(bed.get_stub("datastore_v3"), allocations)
        return program.run("legacy_program_" + path.stem, path, program.legacy_text, allocations, _read_stored)
    finally:
        bed.deactivate()
        db._kind_map.clear()
        db._kind_map.update(kinds)
        polymodel._class_map.clear()
        polymodel._class_map.update(classes)


def main(argv):
    programs, golden = Path(argv[0]), Path(argv[1])
    names = set(argv[2:])
    golden.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TZ", "UTC")
    count = 0
    for path in program.program_paths(programs):
        if names and path.stem not in names:
            continue
        observations = _run_one(path)
        (golden / (path.stem + ".json")).write_text(program.golden_text(path.stem, observations), encoding="utf-8")
        stopped = [label for label, _ in observations if label.startswith("!")]
        print("%-45s %3d observations%s" % (path.stem, len(observations), "  (%s)" % stopped[0] if stopped else ""))
        count += 1
    print("legacy oracle: %d golden files written to %s" % (count, golden))


if __name__ == "__main__":
    main(sys.argv[1:])
