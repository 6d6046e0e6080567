"""Loading and running one differential program (shared by the legacy runner and the pytest side).

A program is a legacy ``db`` module as users write it, with an entry function
``run(observe)``, or a package of such modules (a folder whose ``__init__.py``
has ``run``; its modules import each other relatively). This module loads a program's text as a fresh module and
runs it, turning an import failure or an exception escaping ``run`` into an
observation (``!import`` / ``!crash``) instead of an error, so the comparison
sees exactly where a side stopped.

It imports nothing of ``compat``, ``google.cloud`` or ``google.appengine``.
"""

import importlib.abc
import importlib.util
import json
import re
import sys
from pathlib import Path

from oracle.observe import Observer, crash_record

PYTHON2_MARKER = "# python2"
IMPORT_LABEL = "!import"
CRASH_LABEL = "!crash"


def is_python2(source):
    """A Python 2 module starts with the line ``# python2``, or does not parse as Python 3."""
    if source.lstrip().startswith(PYTHON2_MARKER):
        return True
    try:
        compile(source, "<program>", "exec", dont_inherit=True)
    except SyntaxError:
        return True
    return False


def python2_to_3(source):
    """Python 2 syntax only (print statements, ``except E, e``, ``unicode``...) through fissix's default fixers.

    The legacy SDK runs on Python 3, so a Python 2 program reaches it through the
    same syntax pass db2ndb applies; nothing of ``db`` is touched by it.
    """
    from fissix import refactor

    fixers = refactor.get_fixers_from_package("fissix.fixes")
    tool = refactor.RefactoringTool(fixers)
    return str(tool.refactor_string(source if source.endswith("\n") else source + "\n", "<program>"))


def plain_text(path):
    """A module's text as it is (converted programs)."""
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def legacy_text(path):
    """The original module's text as the legacy SDK runs it (Python 2 modules through fissix)."""
    source = plain_text(path)
    return python2_to_3(source) if is_python2(source) else source


def program_paths(folder):
    """The programs in ``folder``: ``*.py`` modules and package folders (``__init__.py``), by name; ``_*`` excluded."""
    found = [p for p in Path(folder).iterdir()
             if not p.name.startswith(("_", ".")) and (p.suffix == ".py" or (p / "__init__.py").is_file())]
    return sorted(found, key=lambda p: p.stem)


def program_entry(path):
    """The file a program's ``run`` lives in: the module itself, or a package's ``__init__.py``."""
    path = Path(path)
    return path / "__init__.py" if path.is_dir() else path


class _TextLoader(importlib.abc.Loader):
    """Executes a module from the text ``transform(path)`` gives (so Python 2 modules get fissix first)."""

    def __init__(self, path, transform):
        self.path, self.transform = path, transform

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(compile(self.transform(self.path), str(self.path), "exec"), module.__dict__)


class _ProgramFinder(importlib.abc.MetaPathFinder):
    """Finds a program module (and, for a package program, its submodules) under a name of the runner's choosing."""

    def __init__(self, name, path, transform):
        self.name, self.path, self.transform = name, Path(path), transform

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.name:
            location = self.path
        elif fullname.startswith(self.name + ".") and self.path.is_dir():
            location = self.path.joinpath(*fullname[len(self.name) + 1:].split("."))
            if not location.is_dir():
                location = location.with_suffix(".py")
                if not location.is_file():
                    return None
        else:
            return None
        package = location.is_dir()
        file = location / "__init__.py" if package else location
        return importlib.util.spec_from_file_location(
            fullname, file, loader=_TextLoader(file, self.transform),
            submodule_search_locations=[str(location)] if package else None)


def load(module_name, path, transform):
    """Import the program at ``path`` (a module, or a package folder) as ``module_name``, each module's text from ``transform``.

    The finder stays installed until ``unload`` (a package may import submodules late).
    """
    sys.meta_path.insert(0, _ProgramFinder(module_name, path, transform))
    try:
        return importlib.import_module(module_name)
    except BaseException:
        unload(module_name)
        raise


def unload(module_name):
    """Forget a program module, its submodules and its finder."""
    sys.meta_path[:] = [f for f in sys.meta_path if not (isinstance(f, _ProgramFinder) and f.name == module_name)]
    for name in [n for n in sys.modules if n == module_name or n.startswith(module_name + ".")]:
        del sys.modules[name]


def run(module_name, path, transform, allocations, read_stored=None):
    """Load and run one program; return its observations (``finish()``ed).

    ``transform(path)`` gives each module's text (``plain_text`` or
    ``legacy_text``); ``allocations`` is the ``observe.Allocations`` the
    runner's RPC watcher fills; ``read_stored()`` gives the datastore's
    entities after the run, for ``Observer.stored`` (also after a crash).
    """
    observe = Observer(allocations)
    try:
        module = load(module_name, path, transform)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - an import failure is an observation
        observe.records.append([IMPORT_LABEL, crash_record(error)])
        return observe.finish()
    try:
        module.run(observe)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - a crash is an observation
        observe.records.append([CRASH_LABEL, crash_record(error)])
    finally:
        unload(module_name)
    if read_stored is not None:
        observe.stored(read_stored())
    return observe.finish()


def golden_text(name, observations):
    """A golden file's text: one observation per line, so a changed golden reads as a small diff."""
    lines = [_escape_surrogates("  " + json.dumps(item, sort_keys=True, ensure_ascii=False)) for item in observations]
    return '{"program": %s, "observations": [\n%s\n]}\n' % (json.dumps(name), ",\n".join(lines))


def _escape_surrogates(text):
    """Lone surrogates (a program may observe ``'a\\ud800'``) as JSON escapes: UTF-8 cannot hold them raw."""
    return _SURROGATE.sub(lambda match: "\\u%04x" % ord(match.group()), text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def read_golden(path):
    """The observations of a golden file."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["observations"]
