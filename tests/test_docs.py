"""The documentation site builds in strict mode: no broken links, pages or API references."""

import os
import shutil
import subprocess
import sys


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_docs_build_strict(tmp_path):
    mkdocs = shutil.which("mkdocs", path=os.path.dirname(sys.executable)) or shutil.which("mkdocs")
    assert mkdocs, "mkdocs is part of the test extra: pip install -e '.[test]'"
    result = subprocess.run(
        [mkdocs, "build", "--strict", "--quiet", "-f", os.path.join(ROOT, "mkdocs.yml"), "-d", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "index.html").exists()
    assert (tmp_path / "site" / "reference" / "db" / "index.html").exists()


def test_every_docs_page_is_in_the_nav():
    import yaml

    with open(os.path.join(ROOT, "mkdocs.yml")) as handle:
        config = yaml.safe_load(handle)

    def pages(items):
        for item in items:
            for value in item.values():
                if isinstance(value, list):
                    yield from pages(value)
                else:
                    yield value

    in_nav = set(pages(config["nav"]))
    on_disk = {
        os.path.relpath(os.path.join(folder, name), os.path.join(ROOT, "docs"))
        for folder, _, names in os.walk(os.path.join(ROOT, "docs")) for name in names if name.endswith(".md")
    }
    assert on_disk - in_nav == set(), "pages missing from mkdocs.yml nav"
    assert in_nav - on_disk == set(), "nav entries without a page"
