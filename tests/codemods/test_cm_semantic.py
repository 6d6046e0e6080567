"""Semantic tests: a legacy module converted by db2ndb behaves on google-cloud-ndb as it does on the shim.

The legacy blog app in ``fixtures/semantic/blogapp`` (Python 2, ``db``) is
converted twice: ``--to compat`` (the legacy API on the shim: the reference
behaviour) and ``--to ndb``. Both run the same scenario against the emulator;
the observable results and the entities they leave in Datastore must be the
same. Stored property names are compared too, which catches the
``StringProperty('Title')`` trap (db's first argument is verbose_name, ndb's
is the stored name).
"""

import importlib
import json
import shutil
import sys
from pathlib import Path

import pytest
from google.cloud import datastore

from codemods.cli import EXIT_OK, main

FIXTURE = Path(__file__).parent / "fixtures" / "semantic" / "blogapp"


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


def test_converted_code_on_ndb_matches_the_shim(converted, clean_datastore, ndb_client):
    legacy = importlib.import_module(f"{converted['compat']}.logic")
    legacy_extras = importlib.import_module(f"{converted['compat']}.extras")
    legacy_urls = importlib.import_module(f"{converted['compat']}.urls")
    assert "from compat import db" in (Path(legacy.__file__).parent / "models.py").read_text()
    on_shim = legacy.scenario()
    extras_on_shim = legacy_extras.scenario()
    urls_on_shim = legacy_urls.scenario()
    stored_by_shim = _stored(clean_datastore)

    clean_datastore.reset()
    modern = importlib.import_module(f"{converted['ndb']}.logic")
    modern_extras = importlib.import_module(f"{converted['ndb']}.extras")
    modern_urls = importlib.import_module(f"{converted['ndb']}.urls")
    # off the shim: only the runtime helper compat.ndb_legacy (plain ndb properties and functions) is used
    assert "from compat import db" not in Path(modern_urls.__file__).read_text()
    source = Path(modern.__file__).read_text()
    assert "from google.cloud import ndb" in source and "from compat import db" not in source
    extras_source = Path(modern_extras.__file__).read_text()
    assert "from compat import db" not in extras_source  # only the read-only API stays on the shim
    with ndb_client.context(cache_policy=lambda key: False):
        on_ndb = modern.scenario()
        extras_on_ndb = modern_extras.scenario()
        urls_on_ndb = modern_urls.scenario()
    stored_by_ndb = _stored(clean_datastore)

    # keys and cursors from URLs: the same pages (the next-page cursor strings are the shim's), and bad
    # input (garbage, empty, non-ASCII, another kind's key, a missing entity) answered the same way
    assert urls_on_ndb == urls_on_shim
    assert urls_on_shim["pages"] == [["By Carol", "Fourth\nlong", "Third"], ["Second (edited)", "First"]]
    assert urls_on_shim["bad_cursors"] == ["bad cursor"] * 3
    assert urls_on_shim["author"].startswith("Carol <ag") and urls_on_shim["renamed"] == "Carol C."
    assert urls_on_shim["bad_keys"] == [None] * 5

    # the one intended difference: the codemod fixed replace(tzinfo=<pytz zone>) (9:19 on legacy/shim)
    assert extras_on_shim["times"][1] == "9:19:00" and extras_on_ndb["times"][1] == "9:00:00"
    extras_on_shim["times"][1] = extras_on_ndb["times"][1]
    assert extras_on_ndb == extras_on_shim
    assert extras_on_shim["expando"] == (["a"], 1, ["colour", "size"])
    assert extras_on_shim["animals"] == (["owl"], ["cat", "owl"], "Bird", 1.5)
    assert extras_on_shim["keys"] == (["c0", "c2", "c4"], 0, 7, ["c2", "c3", "c4", "new"])
    assert extras_on_shim["gql"] == ([7, 4], 13, 5)
    assert extras_on_shim["times"] == ["9:00:00", "9:00:00", "2024-01-01T03:00:00"]
    assert extras_on_shim["writable"] == (True, "read-only")

    assert on_ndb == on_shim
    # a few of the results spelled out, so a scenario that silently returns nothing cannot pass
    assert on_shim["tagged_b"] == ["Second", "First"]
    assert on_shim["ann_published"] == 1  # the bare q.filter(...) statement was kept as a reassignment
    assert on_shim["page"] == ["p1", "p2"]  # fetch(2, 1): offset, not a second limit
    assert on_shim["pages"] == [["p0", "p1", "p2"], ["p3"]]  # with_cursor/fetch/cursor() -> fetch_page
    assert on_shim["keys"][0].startswith("ag")  # the legacy urlsafe form, s~ partition included
    assert on_shim["comments"] == ["nice"] and on_shim["cleanup"] == 0
    assert on_shim["bump"] == 11 and on_shim["after"] == ["Second (edited)", "First"]

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
