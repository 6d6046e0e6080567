"""End-to-end: the legacy_app fixture in, the expected tree out; CLI modes, exit codes, report, safety."""

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.cli import EXIT_FAILED, EXIT_OK, EXIT_TODOS, EXIT_USAGE, EXIT_WOULD_CHANGE, main

FIXTURES = Path(__file__).parent / "fixtures" / "legacy_app"


@pytest.fixture
def app(tmp_path):
    target = tmp_path / "app"
    shutil.copytree(FIXTURES / "input", target)
    return target


def _tree(root: Path) -> dict:
    return {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_folder_rewrite_matches_expected_tree(app):
    assert main([str(app), "-q"]) == EXIT_OK
    assert _tree(app) == _tree(FIXTURES / "expected")


def test_second_run_changes_nothing(app):
    main([str(app), "-q"])
    before = _tree(app)
    assert main([str(app), "--check"]) == EXIT_OK
    assert main([str(app), "-q"]) == EXIT_OK
    assert _tree(app) == before


def test_second_run_changes_nothing_on_the_semantic_fixture(tmp_path):
    shutil.copytree(Path(__file__).parent / "semantic" / "programs" / "a006_blogapp", tmp_path / "s")
    assert main([str(tmp_path / "s"), "-q"]) == EXIT_OK
    before = _tree(tmp_path / "s")
    assert main([str(tmp_path / "s"), "--check"]) == EXIT_OK
    assert _tree(tmp_path / "s") == before


def test_parallel_run_gives_the_same_tree(app):
    assert main([str(app), "-q", "--jobs", "2"]) == EXIT_OK
    assert _tree(app) == _tree(FIXTURES / "expected")


def test_diff_writes_nothing_and_exits_1(app, capsys):
    before = _tree(app)
    assert main([str(app), "--diff"]) == EXIT_WOULD_CHANGE
    out = capsys.readouterr().out
    assert "-    q.filter('author =', author)" in out
    assert "+    q = q.filter(Post.author == author.key)" in out
    assert _tree(app) == before


def test_check_lists_files_and_exits_1(app, capsys):
    assert main([str(app), "--check"]) == EXIT_WOULD_CHANGE
    out = capsys.readouterr().out
    assert "would rewrite" in out and "handlers.py" in out
    assert "schema_pb2" not in out and "ignored_scratch" not in out and "vendored" not in out


def test_report_lists_rules_todos_and_skips(app, tmp_path):
    report = tmp_path / "report.json"
    assert main([str(app), "-q", "--report", str(report)]) == EXIT_OK
    data = json.loads(report.read_text())
    files = {Path(f["path"]).name: f for f in data["files"]}
    handlers = files["handlers.py"]
    assert handlers["status"] == "changed" and handlers["py2_fixed"] is True
    assert handlers["rules_applied"]["DB009"] == 3
    todo = handlers["todos"][0]
    assert todo["rule"] == "DB015" and "db.Timeout" in todo["message"]
    line = (app / "handlers.py").read_text().splitlines()[todo["line"] - 1]
    assert line.lstrip().startswith("# TODO(db2ndb:DB015)")
    assert files["__init__.py"]["status"] == "unchanged"
    assert data["summary"]["todos"] == 1 and data["summary"]["failed"] == 0
    assert data["summary"]["todos_by_rule"] == {"DB015": 1}
    assert data["summary"]["converted_by_rule"]["DB009"] == 3
    assert sum(data["summary"]["converted_by_rule"].values()) == data["summary"]["converted"]
    reasons = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}
    assert reasons == {"ignored_scratch.py": ".gitignore", "schema_pb2.py": "generated", "vendored": "vendored packages"}


def test_bad_file_is_reported_and_does_not_stop_the_run(app, capsys):
    (app / "broken.py").write_text("def broken(:\n    pass\n")
    assert main([str(app), "-q"]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "broken.py" in err and "not valid Python 2 or 3" in err
    assert "1 failed" in err
    assert (app / "broken.py").read_text() == "def broken(:\n    pass\n"
    assert "ndb.Model" in (app / "models" / "base.py").read_text()


def test_output_that_would_not_parse_leaves_the_file_untouched(app, monkeypatch, capsys):
    import codemods.runner.pipeline as pipeline

    monkeypatch.setattr(pipeline, "_verify", lambda code, original: "forced failure")
    before = _tree(app)
    assert main([str(app), "-q"]) == EXIT_FAILED
    assert _tree(app) == before
    assert "forced failure" in capsys.readouterr().err


def test_atomic_write_keeps_permissions_and_leaves_no_temp_files(app):
    target = app / "models" / "base.py"
    os.chmod(target, 0o640)
    assert main([str(app), "-q"]) == EXIT_OK
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert not [p for p in app.rglob("*.db2ndb")]


def test_to_compat_moves_only_imports(app):
    assert main([str(app), "-q", "--to", "compat"]) == EXIT_OK
    blog = (app / "models" / "blog.py").read_text()
    assert "from compat import db" in blog
    assert "db.StringProperty('Title', multiline=True)" in blog
    handlers = (app / "handlers.py").read_text()
    assert "q.filter('author =', author)" in handlers  # the code keeps the legacy API
    assert 'print("%s by %s"' in handlers  # but it is Python 3 now


def test_only_and_disable(app):
    assert main([str(app / "models" / "blog.py"), "-q", "--only", "DB001,DB002", "--root", str(app)]) == EXIT_OK
    blog = (app / "models" / "blog.py").read_text()
    assert "from compat import db" in blog  # properties were not converted: they stay on the shim
    assert "db.StringProperty('Title'" in blog
    assert main([str(app / "handlers.py"), str(app / "models"), "-q", "--disable", "db009", "--root", str(app)]) == EXIT_OK
    assert "\n    q.filter(Post.author == author.key)" in (app / "handlers.py").read_text()


def test_single_file_resolves_models_from_the_rest_of_the_root(app):
    assert main([str(app / "handlers.py"), "-q", "--root", str(app)]) == EXIT_OK
    assert "q = q.filter(Post.author == author.key)" in (app / "handlers.py").read_text()
    assert "from google.appengine.ext import db" in (app / "models" / "base.py").read_text()  # indexed, not rewritten


def test_single_file_without_root_index(app):
    assert main([str(app / "handlers.py"), "-q", "--root", str(app), "--no-index-root"]) == EXIT_OK
    assert "q.filter(Post.author" not in (app / "handlers.py").read_text()


def test_fail_on_todo(app):
    assert main([str(app), "-q", "--fail-on-todo"]) == EXIT_TODOS


def test_usage_errors(app, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([str(app), "--only", "DB999"])
    assert exit_info.value.code == EXIT_USAGE
    assert "unknown rule id(s): DB999" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main([str(app / "nope")])
    assert exit_info.value.code == EXIT_USAGE


def test_list_prints_every_rule_and_docs(capsys):
    assert main(["list"]) == EXIT_OK
    out = capsys.readouterr().out
    for number in range(1, 18):
        assert f"DB{number:03d}" in out
    assert main(["list", "db009"]) == EXIT_OK
    assert "chromium-dashboard PR #1410" in capsys.readouterr().out


def test_python_dash_m_and_progress(app):
    result = subprocess.run(
        [sys.executable, "-m", "codemods", str(app), "--check", "--progress", "--jobs", "2"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == EXIT_WOULD_CHANGE
    assert "files]" not in result.stdout
    assert "db2ndb rewriting" in result.stderr and "files/s" in result.stderr  # tqdm
    assert "3 files would change, 1 unchanged, 0 failed" in result.stderr


def test_docs_page_carries_the_current_rule_documentation(capsys):
    page = (Path(__file__).parents[2] / "docs" / "codemods.md").read_text(encoding="utf-8")
    assert main(["list", "--markdown"]) == EXIT_OK
    generated = capsys.readouterr().out.strip()
    assert generated in page, "docs/codemods.md is stale: regenerate it with `db2ndb list --markdown`"
    for number in range(1, 18):
        assert f'<a id="db{number:03d}"></a>' in page


def test_code_without_legacy_apis_is_never_touched(tmp_path):
    """Python 3 code that does not use db (here: libcst's and pytz's own sources) comes out unchanged."""
    import libcst
    import pytz

    for package in (libcst, pytz):
        source = Path(package.__file__).parent
        small = [f for f in sorted(source.glob("*.py")) if f.stat().st_size < 30_000]
        for file in small[:12]:
            shutil.copy(file, tmp_path / f"{package.__name__}_{file.name}")
    assert main([str(tmp_path), "--check", "-q"]) == EXIT_OK


def test_the_example_guestbook_converts_completely(tmp_path):
    """examples/guestbook (what `make demo` converts and runs on ndb): no TODO left, and a second run is a no-op.

    Its constructs need types from other functions and files (an entity returned by a helper, a key
    parameter, a key string cut out of a URL) and the cursor block with ``q.cursor()`` in an expression.
    """
    target = tmp_path / "guestbook"
    shutil.copytree(Path(__file__).parents[2] / "examples" / "guestbook", target)
    report = tmp_path / "report.json"
    assert main([str(target), "-q", "--report", str(report)]) == EXIT_OK
    files = json.loads(report.read_text())["files"]
    assert [f["todos"] for f in files] == [[]] * 7  # four modules and the legacy-style tests
    assert {Path(f["path"]).name for f in files if f["status"] == "unchanged"} == {"conftest.py"}
    assert "google.appengine" not in "".join(_tree(target).values())
    assert main([str(target), "--check"]) == EXIT_OK


def test_subcommands_keep_the_old_usage_and_accept_shim(app, capsys):
    assert main(["convert", str(app), "--check"]) == EXIT_WOULD_CHANGE
    assert main([str(app), "--check"]) == EXIT_WOULD_CHANGE  # `db2ndb PATH` is `db2ndb convert PATH`
    capsys.readouterr()
    assert main([str(app), "--to", "shim", "-q"]) == EXIT_OK  # the README's name for --to compat
    assert "from compat import db" in (app / "models" / "base.py").read_text()
    assert main(["list", "--to", "shim"]) == EXIT_OK
    assert "DB013" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["list", "--check"])
    assert exit_info.value.code == EXIT_USAGE
    assert "unrecognized arguments: --check" in capsys.readouterr().err
