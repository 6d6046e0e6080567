"""A second run changes nothing, ``--check`` passes right after a run, and no line names legacy ``db`` any more.

The tree is a minimal reproduction of what real apps mix: Python 2 models
using ``datastore_types``, a Python 3 file with an attribute named
``unicode`` and a ``print`` of an expression, a test patching a legacy
method by its dotted name.
"""

import ast
import shutil
import textwrap
from pathlib import Path

import pytest

from codemods.cli import EXIT_OK, main

TREE = {
    "models.py": """\
        from google.appengine.ext import db
        from google.appengine.api import datastore_types, datastore_errors

        class IdemNote(db.Model):
            title = db.StringProperty()

        def note_key(encoded):
            datastore_types.ValidateString(encoded, 'encoded')
            try:
                return datastore_types.Key(encoded)
            except datastore_errors.BadKeyError:
                return None

        def titles(notes):
            out = {}
            for key, note in notes.iteritems():
                print "note %s" % key
                out[key] = unicode(note.title)
            return out
        """,
    "modern.py": """\
        class Settings(object):
            def __init__(self):
                self.unicode = True

        def show(values):
            for name, value in values.items():
                print("%s=%s" % (name, value))
            return "\\u00e9"
        """,
    "test_models.py": """\
        import mock
        from google.appengine.ext import db

        @mock.patch('google.appengine.ext.db.Model.put')
        def test_put(put):
            assert db.Model.put is put
        """,
}


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "app"
    for name, text in TREE.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def _contents(root: Path) -> dict:
    return {p.name: p.read_text() for p in sorted(root.rglob("*.py"))}


def _legacy_lines(root: Path) -> list:
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names = [node.value]
            found += [(path.name, n) for n in names if n.startswith("google.appengine.ext.db")]
    return found


@pytest.mark.parametrize("target", ["compat", "ndb"])
def test_second_run_and_check_change_nothing(tree, target, capsys):
    assert main([str(tree), "--to", target, "-q"]) == EXIT_OK
    first = _contents(tree)
    assert "self.unicode = True" in first["modern.py"] and 'print("%s=%s" % (name, value))' in first["modern.py"]
    assert 'return "\\u00e9"' in first["modern.py"]
    assert main([str(tree), "--to", target, "--check", "-q"]) == EXIT_OK
    assert main([str(tree), "--to", target, "-q"]) == EXIT_OK
    assert _contents(tree) == first
    assert _legacy_lines(tree) == []
    for text in first.values():
        compile(text, "<converted>", "exec")


def test_compat_output_then_ndb_is_the_direct_ndb_conversion(tree, tmp_path, capsys):
    direct = tmp_path / "direct"
    shutil.copytree(tree, direct)
    assert main([str(direct), "--to", "ndb", "-q"]) == EXIT_OK
    assert main([str(tree), "--to", "compat", "-q"]) == EXIT_OK
    compat_models = (tree / "models.py").read_text()
    assert "from compat import datastore_types" in compat_models
    capsys.readouterr()
    assert main([str(tree), "--to", "ndb"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "db.types" not in out
    assert main([str(tree), "--to", "ndb", "--check", "-q"]) == EXIT_OK

    def todos(text):
        return sorted(line.strip().split(" See ")[0] for line in text.splitlines() if "TODO(db2ndb" in line)

    for name in TREE:
        assert todos((tree / name).read_text()) == todos((direct / name).read_text()), name
    assert "ndb.Key(urlsafe=encoded)" in (tree / "models.py").read_text()


def test_compat_conversion_keeps_the_patch_target_working(tree, capsys):
    assert main([str(tree), "--to", "compat", "-q"]) == EXIT_OK
    text = (tree / "test_models.py").read_text()
    assert "@mock.patch('compat.db.Model.put')" in text
    namespace = {}
    exec(compile(text.replace("import mock", "from unittest import mock"), "test_models.py", "exec"), namespace)
    namespace["test_put"]()
