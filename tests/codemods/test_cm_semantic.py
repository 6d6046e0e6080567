"""Storage of converted code: the blog app converted by db2ndb writes on ndb exactly what it writes on the shim.

The app is the differential suite's package program ``semantic/programs/a006_blogapp``
(Python 2, ``db``, modules importing each other). What it *observes* is compared
with the legacy SDK's golden file by ``semantic/test_differential.py`` on both
sides; this test adds the stored entities: the app converted ``--to compat``
(the shim, whose storage is legacy-exact, tests/compat) and ``--to ndb`` runs
its scenarios against the emulator, and every entity, property name, value and
index flag must be the same. Stored property names are compared too, which
catches the ``StringProperty('Title')`` trap (db's first argument is
verbose_name, ndb's is the stored name).
"""

import importlib
import json
import shutil
import sys
from pathlib import Path

import pytest
from google.cloud import datastore

from codemods.cli import EXIT_OK, main

FIXTURE = Path(__file__).parent / "semantic" / "programs" / "a006_blogapp"


def _convert(tmp_path: Path, target: str) -> str:
    """Copy the fixture to a package named after the target, convert it, return the package name."""
    package = f"blogapp_{target}"
    root = tmp_path / target
    shutil.copytree(FIXTURE, root / package)
    report = tmp_path / f"{target}.json"
    assert main([str(root), "-q", "--to", target, "--report", str(report)]) == EXIT_OK
    todos = [(Path(f["path"]).name, t["rule"]) for f in json.loads(report.read_text())["files"] for t in f["todos"]]
    # no TODO: extras.py's aware datetimes go to ndb_legacy.DateTimeProperty, which stores them as UTC like db
    assert todos == []
    sys.path.insert(0, str(root))
    return package


KINDS = ("Author", "Post", "Comment", "Setting", "Animal", "Counter")


def _stored(emulator) -> dict:
    client = datastore.Client(project=emulator.project)
    out = {}
    for kind in KINDS:
        for entity in client.query(kind=kind).fetch():
            out[entity.key.flat_path] = (dict(entity), sorted(entity.exclude_from_indexes))
    return out


@pytest.fixture(autouse=True)
def _restore_compat_kinds():
    """The fixture app registers its models in compat's kind registry; give later tests theirs back."""
    from compat.db import _kinds, polymodel

    kinds, classes = dict(_kinds._kind_map), dict(polymodel._class_map)
    yield
    _kinds._kind_map.clear()
    _kinds._kind_map.update(kinds)
    polymodel._class_map.clear()
    polymodel._class_map.update(classes)


@pytest.fixture
def converted(tmp_path):
    packages = {target: _convert(tmp_path, target) for target in ("compat", "ndb")}
    yield packages
    for target, package in packages.items():
        sys.path.remove(str(tmp_path / target))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


def _run(package):
    """Run the package program's scenarios (what they observe is checked against legacy by the differential suite)."""
    from oracle.observe import Observer

    observe = Observer()
    importlib.import_module(package).run(observe)
    assert len(observe.records) == 26 and not any(label.startswith("!") for label, _ in observe.records)


def test_converted_blogapp_stores_what_the_shim_stores(converted, tmp_path, clean_datastore, ndb_client):
    def source(target, module):
        return (tmp_path / target / converted[target] / module).read_text()

    assert "from compat import db" in source("compat", "models.py")
    _run(converted["compat"])
    stored_by_shim = _stored(clean_datastore)

    clean_datastore.reset()
    # off the shim: only the runtime helper compat.ndb_legacy (plain ndb properties and functions) and the
    # read-only API are used
    for module in ("models.py", "logic.py", "urls.py", "extras.py"):
        assert "from compat import db" not in source("ndb", module), module
    assert "from google.cloud import ndb" in source("ndb", "logic.py")
    with ndb_client.context(cache_policy=lambda key: False):
        _run(converted["ndb"])
    stored_by_ndb = _stored(clean_datastore)

    # an empty list is not written at all, as db did (ndb_legacy.StringListProperty; plain ndb writes [])
    assert "tags" not in stored_by_ndb[("Counter", "new")][0] and "tags" not in stored_by_shim[("Counter", "new")][0]
    assert set(stored_by_ndb) == set(stored_by_shim)
    assert {path[-2] for path in stored_by_shim} == {"Author", "Post", "Setting", "Animal", "Counter"}
    for path, (values, unindexed) in stored_by_shim.items():
        assert stored_by_ndb[path] == (values, unindexed), path
    post = stored_by_shim[("Author", "ann", "Post", "p0")][0]
    assert "title" in post and "Title" not in post and "stars" in post


def test_loud_failure_policy_holds_for_ids():
    """docs/codemods.md: `get_by_key_name(x)` of unknown type becomes `get_by_id(x)` because ndb refuses a
    list there with an error at the first call instead of doing something else."""
    from google.cloud import ndb

    with pytest.raises(TypeError, match="Key ID must be a string or a number"):
        ndb.Key("Post", ["a", "b"])
