"""Check what an installation without extras, and with the ``codemods`` extra, gives (run by ``make test``).

``python scripts/check_packaging.py shim`` in a venv where ``pip install .`` ran:
``compat`` imports and ships its ``py.typed`` marker, libcst (the codemods'
dependency) is not installed, and ``db2ndb`` exits 2 naming the extra to install.
``python scripts/check_packaging.py codemods`` after ``pip install '.[codemods]'``:
``db2ndb`` runs and ``codemods`` ships its ``py.typed``. Exits non-zero with a message when a promise does not hold.
"""

import importlib.resources
import importlib.util
import os
import subprocess
import sys


def _db2ndb(*args):
    script = os.path.join(os.path.dirname(sys.executable), "db2ndb")
    return subprocess.run([script, *args], capture_output=True, text=True)


def _typed(package):
    """Problems if ``package`` was installed without its PEP 561 ``py.typed`` marker."""
    if importlib.resources.files(package).joinpath("py.typed").is_file():
        return []
    return ["%s is installed without its py.typed marker" % package]


def check_shim():
    """The shim alone: compat imports, no codemod dependency, db2ndb says which extra it needs."""
    import compat
    import compat.db  # noqa: F401

    problems = _typed("compat")
    for name in ("libcst", "fissix", "pathspec"):
        if importlib.util.find_spec(name) is not None:
            problems.append("%s is installed without the codemods extra" % name)
    run = _db2ndb("--help")
    if run.returncode != 2 or "appengine-db-compat[codemods]" not in run.stderr:
        problems.append("db2ndb without the extra: exit %d, %r" % (run.returncode, run.stderr[-300:]))
    return problems, "compat %s imports without the codemods extra" % compat.__version__


def check_codemods():
    """With the codemods extra: db2ndb runs."""
    run = _db2ndb("--version")
    if run.returncode != 0:
        return ["db2ndb --version: exit %d, %r" % (run.returncode, (run.stderr or run.stdout)[-300:])], ""
    return _typed("codemods"), run.stdout.strip()


def main(argv):
    checks = {"shim": check_shim, "codemods": check_codemods}
    if len(argv) != 1 or argv[0] not in checks:
        sys.stderr.write("usage: check_packaging.py shim|codemods\n")
        return 2
    problems, summary = checks[argv[0]]()
    for problem in problems:
        sys.stderr.write("packaging: %s\n" % problem)
    if not problems:
        print("packaging (%s): ok, %s" % (argv[0], summary))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
