"""db2ndb verify end to end: the guestbook identical, three kinds of difference caught, nothing left behind."""

import hashlib
import shutil
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from codemods.cli import main

ROOT = Path(__file__).parents[3]
pytestmark = pytest.mark.emulator  # each verify run starts emulators of its own

GUESTBOOK = ROOT / "examples" / "guestbook"
SHOP = Path(__file__).parent / "fixtures" / "shop"


def _digest(root: Path) -> dict:
    return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _verify_processes(marker_prefix: str) -> list:
    """PIDs of live processes started for a verify run whose work directory is under ``marker_prefix``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/environ" % entry, "rb") as handle:
                environ = handle.read().split(b"\0")
            with open("/proc/%s/stat" % entry) as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and any(v.startswith(b"DB2NDB_VERIFY_RUN=" + marker_prefix.encode()) for v in environ):
            found.append(int(entry))
    return found


def _gone(marker_prefix: str, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _verify_processes(marker_prefix):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A TMPDIR of the test's own: verify's work directory and the emulators' logs land there."""
    work = tmp_path / "tmp"
    work.mkdir()
    monkeypatch.setenv("TMPDIR", str(work))
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    return work


def test_guestbook_suite_is_identical_on_both_sides_and_nothing_is_left(scratch, tmp_path, capsys):
    """Also the parallel mode: two pytest-xdist workers per side, each with an emulator of its own."""
    before = _digest(GUESTBOOK)
    report = tmp_path / "report.json"
    assert main(["verify", str(GUESTBOOK), "--report", str(report), "-j", "2"]) == 0
    data = json.loads(report.read_text())
    assert data["summary"]["tests"] == 10 and data["summary"]["identical"] == 10  # unittest and pytest style
    assert {t["original"] for t in data["tests"]} == {"passed"}
    assert "10 tests, 10 identical, 0 differing" in capsys.readouterr().out
    assert _digest(GUESTBOOK) == before  # the user's tree is only read
    assert list(scratch.iterdir()) == []  # work directory and emulator logs removed
    assert _gone(str(scratch))


def test_three_kinds_of_difference_are_reported_with_the_todo_that_caused_them(scratch, tmp_path):
    before = _digest(SHOP)
    report, page = tmp_path / "report.json", tmp_path / "report.html"
    code = main(["verify", str(SHOP / "app"), "--tests", str(SHOP / "tests"), "--report", str(report),
                 "--html", str(page), "-j", "1"])
    assert code == 1
    tests = {t["test"].split("::")[-1]: t for t in json.loads(report.read_text())["tests"]}
    assert tests["test_untouched"]["status"] == "identical"

    # 1. a different exception: ndb calls __init__() with no arguments when it loads the Order
    reloads = tests["test_order_reloads"]
    assert (reloads["original"], reloads["converted"]) == ("passed", "failed (KeyError)")
    assert [t["rule"] for t in reloads["todos"]] == ["DB002"]

    notes = tests["test_product_notes"]
    assert notes["original"] == notes["converted"] == "passed"
    changes = {(d["entity"], d["property"], d["change"]): (d["original"], d["converted"]) for d in notes["differences"]}
    # 2. a different stored value: is_saved() is False before the first put in db, ndb's _has_complete_key() True
    assert changes[("Product('p2')", "fresh", "value")] == ("boolean True, indexed", "boolean False, indexed")
    # the attribute-name keyword `title=` db ignored is dropped (with its TODO), so `t` is stored as db stored it
    assert not any(prop == "t" for _, prop, _ in changes)
    # 3. the non-literal indexed= of the TextProperty: now converted to ndb_legacy.TextProperty (unindexed,
    #    meaning 15, as db stored it), so the notes are stored identically
    assert not any(prop == "notes" for _, prop, _ in changes)
    assert {(t["rule"], t["how"]) for t in notes["todos"]} == {("DB006", "ran")}
    assert all(t["file"] == "app/shop.py" for t in notes["todos"])

    html = page.read_text()
    assert html.count("<details>") == 3 and "TODO DB002" in html and "TODO DB006" in html
    assert _digest(SHOP) == before
    assert list(scratch.iterdir()) == []
    assert _gone(str(scratch))


def test_failures_are_exit_3_or_4_and_cleaned_up(scratch, tmp_path, capsys):
    app = tmp_path / "app"
    app.mkdir()
    (app / "models.py").write_text("from google.appengine.ext import db\n\nclass A(db.Model):\n    n = db.IntegerProperty()\n")
    (app / "test_broken.py").write_text("import models\n\ndef test_x(:\n    pass\n")
    assert main(["verify", str(app), "-j", "1"]) == 3  # a file the conversion cannot parse
    assert "the conversion failed on 1 file(s)" in capsys.readouterr().out
    (app / "test_broken.py").write_text("import models\nimport no_such_module\n\ndef test_x():\n    pass\n")
    assert main(["verify", str(app), "-j", "1"]) == 4  # pytest cannot collect the suite
    out, err = capsys.readouterr()
    assert "could not run the suite" in out and "no_such_module" in err
    assert list(scratch.iterdir()) == []
    assert _gone(str(scratch))


def test_ctrl_c_stops_both_sides_and_removes_everything(scratch):
    process = subprocess.Popen(
        [sys.executable, "-m", "codemods", "verify", str(GUESTBOOK), "-j", "1"],
        env=dict(os.environ, TMPDIR=str(scratch)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_verify_processes(str(scratch))) < 4:
        time.sleep(0.2)  # both pytest sides and their emulators are up
    assert _verify_processes(str(scratch)), "the test runs never started"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in err
    assert list(scratch.iterdir()) == []
    assert _gone(str(scratch))


def test_a_hand_edited_migration_branch_is_compared_as_it_is(scratch, tmp_path):
    """docs/verify.md's worked example: an indexed string body in place of db's Text is caught."""
    branch = tmp_path / "guestbook-ndb"
    shutil.copytree(GUESTBOOK, branch)
    assert main([str(branch), "-q"]) == 0
    models = branch / "models.py"
    models.write_text(models.read_text().replace("body = ndb_legacy.TextProperty()", "body = ndb.StringProperty()"))
    report = tmp_path / "report.json"
    assert main(["verify", str(GUESTBOOK), "--converted", str(branch), "--report", str(report), "-j", "1"]) == 1
    data = json.loads(report.read_text())
    assert (data["summary"]["identical"], data["summary"]["differs"]) == (2, 8)
    changes = {(d["property"], d["change"], d["original"], d["converted"])
               for t in data["tests"] for d in t["differences"]}
    assert changes == {("body", "meaning", "meaning 15 (Text)", "no meaning"),
                       ("body", "index", "excluded from indexes", "indexed")}
    assert list(scratch.iterdir()) == []
