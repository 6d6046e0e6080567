"""db2ndb on a hostile tree: FIFOs, symlink loops, links out of the tree, unreadable, binary, huge and non-UTF-8 files.

The run happens in a child process whose every write-side system call
(``open`` for writing, rename/replace, chmod, unlink, mkdir) is recorded by a
Python audit hook, so "nothing outside the given paths is opened for writing"
is observed, not assumed. Root bypasses permission bits, so when the tests
run as root the hook refuses reads of files without read permission, as the
kernel does for everyone else.
"""

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import fissix
import pytest

from codemods.runner.discovery import discover

LEGACY = "from google.appengine.ext import db\n\n\nclass Note(db.Model):\n    body = db.StringProperty()\n"

_CHILD = textwrap.dedent(
    """
    import json, os, stat, sys
    log_path = sys.argv[1]
    writes = []

    def hook(event, args):
        if event == "open":
            path, mode, flags = args
            if not isinstance(path, (str, bytes, os.PathLike)):
                return
            writing = (mode is not None and any(c in mode for c in "wax+")) or (
                flags is not None and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))
            if writing:
                writes.append(("open", os.fsdecode(path)))
            elif os.geteuid() == 0:
                try:
                    status = os.stat(path)
                except OSError:
                    return
                if stat.S_ISREG(status.st_mode) and not status.st_mode & 0o444:
                    raise PermissionError(13, "Permission denied", os.fsdecode(path))
        elif event in ("os.rename", "os.replace"):
            writes.append((event, os.fsdecode(args[1])))
        elif event in ("os.chmod", "os.remove", "os.unlink", "os.mkdir", "os.rmdir", "os.truncate", "os.utime"):
            if isinstance(args[0], (str, bytes, os.PathLike)):
                writes.append((event, os.fsdecode(args[0])))

    from codemods.cli import main
    sys.addaudithook(hook)
    code = main(sys.argv[2:])
    recorded = list(writes)  # (an audit hook cannot be removed: the log's own open comes after)
    with open(log_path, "w") as out:
        json.dump({"code": code, "writes": recorded}, out)
    """
)


def _write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data)
    return path


@pytest.fixture
def hostile(tmp_path):
    """A tree with every hazard, and a file outside it that a symlink points to."""
    outside = tmp_path / "outside"
    secret = _write(outside / "secret.py", LEGACY)
    secret.chmod(0o444)
    app = tmp_path / "app"
    _write(app / "models.py", LEGACY)
    os.mkfifo(app / "pipe.py")
    os.symlink(secret, app / "linked_out.py")
    os.symlink(outside, app / "linked_dir")
    os.symlink("loop.py", app / "loop.py")
    os.symlink("missing_target.py", app / "dangling.py")
    (app / "pkg").mkdir()
    os.symlink("..", app / "pkg" / "parent")  # a folder loop
    _write(app / "locked.py", LEGACY).chmod(0)
    _write(app / "blob.py", b"\x00\x01\x02binary\x00" * 64)
    _write(app / "huge.py", "VALUES = [\n" + "    1234567890,\n" * 400_000 + "]\n")  # about 6 MB
    latin = "# -*- coding: latin-1 -*-\n" + LEGACY + "\n\ndef label():\n    print 'caf\xe9'\n    return u'caf\xe9'\n"
    _write(app / "latin.py", latin.encode("latin-1"))
    return tmp_path


def _snapshot(folder: Path) -> dict:
    out = {}
    for current, dirs, files in os.walk(folder):
        for name in files:
            path = Path(current) / name
            status = path.lstat()
            out[str(path)] = (status.st_ino, status.st_mtime_ns, status.st_mode, path.read_bytes())
    return out


def _run_child(tmp_path: Path, args) -> dict:
    log = tmp_path / "audit.json"
    subprocess.run([sys.executable, "-c", _CHILD, str(log), *args], timeout=120, check=False,
                   capture_output=True)
    return json.loads(log.read_text())


def test_hostile_tree_ends_writes_only_inside_and_reports_every_skip(hostile):
    app = hostile / "app"
    outside_before = _snapshot(hostile / "outside")
    report = hostile / "report.json"
    result = _run_child(hostile, [str(app), "-q", "--report", str(report), "--no-progress"])

    writes = [(event, os.path.realpath(path)) for event, path in result["writes"]]
    allowed = (str(app.resolve()) + os.sep, str(fissix.CACHE_DIR))  # fissix's grammar tables cache
    strays = [(e, p) for e, p in writes if not p.startswith(allowed) and p != str(report)]
    assert strays == [] and any(p.endswith("models.py") for _, p in writes)
    assert _snapshot(hostile / "outside") == outside_before
    assert stat.S_ISFIFO((app / "pipe.py").lstat().st_mode) and (app / "linked_out.py").is_symlink()

    data = json.loads(report.read_text())
    reasons = {os.path.relpath(s["path"], app): s["reason"] for s in data["skipped"]}
    assert reasons["pipe.py"] == "not a regular file (FIFO)"
    assert reasons["linked_out.py"].startswith("symlink to ") and "outside the given paths" in reasons["linked_out.py"]
    assert "outside the given paths" in reasons["linked_dir"]
    assert reasons["loop.py"] == "symlink loop (not followed)"
    assert reasons["dangling.py"] == "broken symlink"
    assert "inside the given paths" in reasons[os.path.join("pkg", "parent")]
    assert reasons["locked.py"] == "unreadable: Permission denied"
    assert reasons["blob.py"] == "binary file (NUL bytes)"
    assert reasons["huge.py"].startswith("larger than ")
    assert data["summary"]["skipped"] == len(reasons) == 9
    statuses = {Path(f["path"]).name: f["status"] for f in data["files"]}
    assert statuses == {"models.py": "changed", "latin.py": "changed"}
    assert result["code"] == 0


def test_non_utf8_source_is_read_and_written_in_its_declared_encoding(hostile):
    app = hostile / "app"
    result = _run_child(hostile, [str(app / "latin.py"), "-q", "--no-index-root"])
    assert result["code"] == 0
    data = (app / "latin.py").read_bytes()
    assert data.startswith(b"# -*- coding: latin-1 -*-\n")
    text = data.decode("latin-1")
    assert "print('caf\xe9')" in text and "return 'caf\xe9'" in text and "ndb.Model" in text
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_special_files_named_explicitly_are_skipped_without_being_opened(hostile):
    app = hostile / "app"
    found = discover([str(app / "pipe.py"), str(app / "loop.py"), str(app / "models.py")])
    reasons = {p.name: r for p, r in found.skipped}
    assert reasons == {"pipe.py": "not a regular file (FIFO)", "loop.py": "symlink loop (not followed)"}
    assert found.files == [app / "models.py"]
