"""Loading and running one differential program (shared by the legacy runner and the pytest side).

A program is a legacy ``db`` module as users write it, with an entry function
``run(observe)``. This module loads a program's text as a fresh module and
runs it, turning an import failure or an exception escaping ``run`` into an
observation (``!import`` / ``!crash``) instead of an error, so the comparison
sees exactly where a side stopped.

It imports nothing of ``compat``, ``google.cloud`` or ``google.appengine``.
"""

import importlib.util
import json
import sys

from oracle.observe import Observer, crash_record

PYTHON2_MARKER = "# python2"
IMPORT_LABEL = "!import"
CRASH_LABEL = "!crash"


def is_python2(source):
    """A program written in Python 2 starts with the line ``# python2``."""
    return source.lstrip().startswith(PYTHON2_MARKER)


def python2_to_3(source):
    """Python 2 syntax only (print statements, ``except E, e``, ``unicode``...) through fissix's default fixers.

    The legacy SDK runs on Python 3, so a Python 2 program reaches it through the
    same syntax pass db2ndb applies; nothing of ``db`` is touched by it.
    """
    from fissix import refactor

    fixers = refactor.get_fixers_from_package("fissix.fixes")
    tool = refactor.RefactoringTool(fixers)
    return str(tool.refactor_string(source if source.endswith("\n") else source + "\n", "<program>"))


def legacy_text(path):
    """The original program's text as the legacy SDK runs it (Python 2 programs through fissix)."""
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    return python2_to_3(source) if is_python2(source) else source


def load(module_name, path, source):
    """Execute ``source`` (``path`` names it in tracebacks) as a fresh module ``module_name``."""
    spec = importlib.util.spec_from_loader(module_name, loader=None, origin=str(path))
    module = importlib.util.module_from_spec(spec)
    module.__file__ = str(path)
    sys.modules[module_name] = module
    try:
        exec(compile(source, str(path), "exec"), module.__dict__)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def run(module_name, path, source, allocations):
    """Load and run one program text; return its observations (``finish()``ed).

    ``allocations`` is the ``observe.Allocations`` the runner's RPC watcher fills.
    """
    observe = Observer(allocations)
    try:
        module = load(module_name, path, source)
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
        sys.modules.pop(module_name, None)
    return observe.finish()


def golden_text(name, observations):
    """A golden file's text: one observation per line, so a changed golden reads as a small diff."""
    lines = ["  " + json.dumps(item, sort_keys=True, ensure_ascii=False) for item in observations]
    return '{"program": %s, "observations": [\n%s\n]}\n' % (json.dumps(name), ",\n".join(lines))


def read_golden(path):
    """The observations of a golden file."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["observations"]
