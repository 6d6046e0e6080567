"""How the app loads each file: as a member of a package, or as a top-level module or script.

Python 2 let a module import a sibling by its bare name (``import models``
inside ``pkg/`` found ``pkg/models.py``): an *implicit relative import*.
Python 3 needs ``from . import models``, but only where the file really is
loaded as part of a package; in a top-level module or a script the explicit
form fails (``attempted relative import with no known parent package``) and
the bare name is right. The rule, per file:

1. A folder is a **sys.path root** (its files are top-level modules) if it
   holds the app's configuration (an ``app.yaml``, or any ``*.yaml`` /
   ``app.yaml.*`` with ``runtime:`` or ``handlers:``), if the app adds it to
   ``sys.path`` (``sys.path.insert(0, 'lib')``, ``vendor.add('lib')``,
   ``site.addsitedir(...)``), if it has no ``__init__.py``, or if another
   folder imports one of its modules by bare name where that name resolves
   nowhere else.
2. A file in a sys.path root is top-level. So is a CGI handler (``script:
   admin.py`` in app.yaml: run as ``__main__``) and a file with an ``if
   __name__ == '__main__':`` block that no other file imports.
3. Every other file is a package member: its implicit relative imports are
   made explicit. (WSGI handlers such as ``script: apps.front.app`` are
   imported as ``apps.front``: package members when ``apps/`` is a package.)
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Set, Tuple

from codemods.runner.files import read_bytes

_CONFIG_KEYS = re.compile(rb"^(runtime|handlers)\s*:", re.MULTILINE)
_SCRIPT = re.compile(rb"^\s*-?\s*script\s*:\s*['\"]?([^\s'\"#]+)", re.MULTILINE)
_PATH_CALL = re.compile(
    r"(?:sys\.path\.(?:insert|append)|vendor\.add|site\.addsitedir)\s*\((?P<args>[^\n]*)"
)
_STRING = re.compile(r"""['"]([^'"\n]+)['"]""")
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(?P<source>\.*[\w.]*)[ \t]+import\b(?P<names>[^#\n]*)|import[ \t]+(?P<modules>[^#\n]+))",
                     re.MULTILINE)
_MAIN_GUARD = re.compile(r"""^if\s+(?:__name__\s*==\s*['"]__main__['"]|['"]__main__['"]\s*==\s*__name__)""", re.MULTILINE)
_MAX_CONFIG_BYTES = 1024 * 1024


def package_members(sources: Dict[str, str]) -> Set[str]:
    """The files (real paths, keys of ``sources``: ``{path: text}``) the app loads as package members."""
    app_dirs = _app_dirs(sources)
    scripts, wsgi_modules = _handlers(app_dirs)
    imports = {path: _imports(text) for path, text in sources.items()}
    path_roots = _path_roots(sources, app_dirs, imports)
    members = set()
    for path, text in sources.items():
        folder = os.path.dirname(path)
        if folder in path_roots or not _is_package(folder) or path in scripts:
            continue
        if _MAIN_GUARD.search(text) and path not in wsgi_modules and not _imported_as_member(path, imports):
            continue
        members.add(path)
    return members


def sys_path_roots(sources: Dict[str, str]) -> Set[str]:
    """The folders the app runs with on ``sys.path`` (rule 1 above, less the folders without ``__init__.py``)."""
    app_dirs = _app_dirs(sources)
    return _path_roots(sources, app_dirs, {path: _imports(text) for path, text in sources.items()})


def _app_dirs(sources: Dict[str, str]) -> Set[str]:
    folders = {os.path.dirname(path) for path in sources}
    return {folder for folder in _with_ancestors(folders) if _app_config(folder) is not None}


def _path_roots(sources: Dict[str, str], app_dirs: Set[str],
                imports: Dict[str, List[Tuple[int, str, List[str]]]]) -> Set[str]:
    roots = set(app_dirs) | _added_to_sys_path(sources, app_dirs)
    return roots | _imported_by_bare_name(imports, roots)


def _with_ancestors(folders: Iterable[str]) -> Set[str]:
    """The folders and their ancestors up to the repository root (the folder holding ``.git``)."""
    out: Set[str] = set()
    for folder in folders:
        while folder not in out:
            out.add(folder)
            parent = os.path.dirname(folder)
            if parent == folder or os.path.lexists(os.path.join(folder, ".git")):
                break
            folder = parent
    return out


@lru_cache(maxsize=4096)
def _is_package(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "__init__.py"))


@lru_cache(maxsize=4096)
def _app_config(folder: str) -> Optional[Tuple[str, ...]]:
    """The App Engine configuration files of ``folder`` (None if it has none)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    found = []
    for name in names:
        if not (name.endswith((".yaml", ".yml")) or name.startswith(("app.yaml", "app.yml"))):
            continue
        path = os.path.join(folder, name)
        try:
            data, _ = read_bytes(path, _MAX_CONFIG_BYTES)
        except OSError:
            continue
        if _CONFIG_KEYS.search(data):
            found.append(path)
    return tuple(found) or None


def _handlers(app_dirs: Iterable[str]) -> Tuple[Set[str], Set[str]]:
    """``(CGI scripts, WSGI handler modules)`` named by ``script:`` entries, as real paths."""
    scripts: Set[str] = set()
    modules: Set[str] = set()
    for folder in app_dirs:
        for config in _app_config(folder) or ():
            data, _ = read_bytes(config, _MAX_CONFIG_BYTES)
            for match in _SCRIPT.finditer(data):
                target = match.group(1).decode("utf-8", "replace")
                if target.startswith("$"):
                    continue  # $PYTHON_LIB/...: the SDK's own handlers
                if target.endswith(".py"):
                    scripts.add(os.path.normpath(os.path.join(folder, target)))
                else:
                    module = target.rpartition(".")[0]
                    modules.add(os.path.join(folder, *module.split(".")) + ".py")
    return scripts, modules


def _added_to_sys_path(sources: Dict[str, str], app_dirs: Set[str]) -> Set[str]:
    """Folders the app puts on ``sys.path`` (string literals in sys.path.insert/append, vendor.add...)."""
    out: Set[str] = set()
    for path, text in sources.items():
        if "sys.path" not in text and "vendor.add" not in text and "addsitedir" not in text:
            continue
        bases = [os.path.dirname(path)] + [d for d in app_dirs if path.startswith(d + os.sep)]
        for call in _PATH_CALL.finditer(text):
            for literal in _STRING.findall(call.group("args")):
                for base in bases:
                    candidate = os.path.normpath(os.path.join(base, *literal.split("/")))
                    if os.path.isdir(candidate):
                        out.add(candidate)
    return out


def _imports(text: str) -> List[Tuple[int, str, List[str]]]:
    """``[(level, module, names)]`` of every import statement (read with a regex: Python 2 is fine)."""
    out: List[Tuple[int, str, List[str]]] = []
    for match in _IMPORT.finditer(text):
        if match.group("modules") is not None:
            for item in match.group("modules").split(","):
                name = item.split(" as ")[0].strip().rstrip("\\").strip()
                if re.fullmatch(r"[\w.]+", name):
                    out.append((0, name, []))
        else:
            source = match.group("source")
            level = len(source) - len(source.lstrip("."))
            names = [n.split(" as ")[0].strip(" ()\\") for n in match.group("names").split(",")]
            out.append((level, source.lstrip("."), [n for n in names if re.fullmatch(r"\w+", n)]))
    return out


@lru_cache(maxsize=1)
def _not_the_apps() -> frozenset:
    """Top-level names that are never the app's own module: the standard library (Python 3's and the
    Python 2 names fissix renames) and the migration's own packages."""
    from fissix.fixes import fix_imports, fix_imports2, fix_urllib

    py2 = set(fix_imports.MAPPING) | set(fix_imports2.MAPPING) | set(fix_urllib.MAPPING)
    return frozenset(set(sys.stdlib_module_names) | py2 | {"google", "compat", "codemods"})


def _imported_by_bare_name(imports: Dict[str, List[Tuple[int, str, List[str]]]], path_roots: Set[str]) -> Set[str]:
    """Package folders whose modules other folders import by bare name (so the folder is on sys.path).

    Standard-library names do not count (``lib/mail/email.py`` does not put
    ``lib/mail`` on sys.path because the app imports ``email``).
    """
    by_folder: Dict[str, Set[str]] = {}
    for path in imports:
        by_folder.setdefault(os.path.dirname(path), set()).add(os.path.splitext(os.path.basename(path))[0])
    owners: Dict[str, List[str]] = {}
    for folder, names in by_folder.items():
        for name in names:
            owners.setdefault(name, []).append(folder)
    out: Set[str] = set()
    for path, statements in imports.items():
        importer = os.path.dirname(path)
        for level, module, _ in statements:
            if level or not module:
                continue
            top = module.split(".")[0]
            if top in _not_the_apps():
                continue
            folders = owners.get(top, [])
            if not folders or _resolves(top, importer, path_roots):
                continue
            out.update(f for f in folders if f != importer and _is_package(f))
    return out


def _resolves(name: str, importer: str, path_roots: Set[str]) -> bool:
    """Is ``name`` a module or package next to the importer or in a sys.path root?"""
    for folder in {importer} | path_roots:
        if os.path.exists(os.path.join(folder, name + ".py")) or os.path.isdir(os.path.join(folder, name)):
            return True
    return False


def _imported_as_member(path: str, imports: Dict[str, List[Tuple[int, str, List[str]]]]) -> bool:
    """Does another file import ``path`` as a member of its package (``from pkg import mod``, ``from . import mod``)?"""
    folder, module = os.path.dirname(path), os.path.splitext(os.path.basename(path))[0]
    package = os.path.basename(folder)
    for other, statements in imports.items():
        if other == path:
            continue
        same_folder = os.path.dirname(other) == folder
        for level, source, names in statements:
            parts = source.split(".") if source else []
            if same_folder and (parts[:1] == [module] or (level == 1 and (parts[:1] == [module] or module in names))):
                return True
            if not level and (parts[-2:] == [package, module] or (parts[-1:] == [package] and module in names)):
                return True
    return False
