"""Running a whole tree: discovery, the two pipeline phases (in parallel), the summary."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence, Tuple

from libcst.metadata import FullRepoManager, FullyQualifiedNameProvider

from codemods.analysis.index import ProjectIndex
from codemods.framework.options import RuleOptions
from codemods.runner.discovery import Discovery, discover, inside
from codemods.runner.files import read_bytes
from codemods.runner.loading import package_members
from codemods.runner.pipeline import FileResult, Prepared, prepare, transform
from codemods.runner.progress import Progress


@dataclass
class RunConfig:
    """Everything one run needs."""

    paths: Sequence[str]
    rule_ids: Sequence[str]
    options: RuleOptions
    mode: str
    jobs: int = 1
    py2_mode: str = "auto"
    root: Optional[str] = None
    use_gitignore: bool = True
    progress: bool = False
    #: when files (not folders) are named, also index the other files under the root
    index_root: bool = True


@dataclass
class RunResult:
    """The results of every file plus the discovery."""

    files: List[FileResult] = field(default_factory=list)
    discovery: Discovery = field(default_factory=Discovery)
    root: str = "."

    def count(self, status: str) -> int:
        """Number of files with ``status``."""
        return sum(1 for f in self.files if f.status == status)

    @property
    def converted(self) -> int:
        """Constructs converted over all files."""
        return sum(sum(f.rules.values()) for f in self.files)

    @property
    def todos(self) -> int:
        """TODO comments left over all files."""
        return sum(len(f.todos) for f in self.files)


def default_root(paths: Sequence[str]) -> str:
    """The folder module names are computed from: the common folder of the paths."""
    folders = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths]
    return os.path.commonpath(folders) if folders else os.getcwd()


def run(config: RunConfig) -> RunResult:
    """Discover, prepare and index every file, then rewrite them."""
    found = discover(config.paths, use_gitignore=config.use_gitignore)
    outside = [p for p in found.files if not inside(p, found.roots)]
    found.files = [p for p in found.files if p not in outside]
    found.skipped.extend((p, "outside the given paths") for p in outside)
    root = os.path.abspath(config.root) if config.root else default_root(config.paths)
    result = RunResult(discovery=found, root=root)
    if not found.files:
        return result
    paths = [str(p.resolve()) for p in found.files]
    context_files = _context_files(config, root, set(paths))
    everything_read = paths + [str(p) for p in context_files]
    names = module_names(root, everything_read)
    members = package_members({path: _text(path) for path in everything_read})
    tasks = [(path, _display(p), names[path], config.py2_mode, path in members) for path, p in zip(paths, found.files)]
    tasks += [(str(p), _display(p), names[str(p)], config.py2_mode, str(p) in members) for p in context_files]
    jobs = max(1, min(config.jobs, len(tasks)))

    progress = Progress(len(tasks), "indexing", config.progress)
    everything: List[Prepared] = _map(_prepare_task, tasks, jobs, progress, None)
    progress.close()

    index = ProjectIndex()
    for item in everything:
        if item.info is not None:
            index.add(item.info)
    targets = set(paths)
    prepared = [item for item in everything if item.path in targets]

    progress = Progress(len(prepared), "rewriting", config.progress)
    state = (index, list(config.rule_ids), config.options, config.mode)
    result.files = _map(_transform_task, prepared, jobs, progress, state)
    progress.close()
    result.files.sort(key=lambda f: f.path)
    return result


def _context_files(config: RunConfig, root: str, targets: set) -> List[Path]:
    """Files under the root that are only indexed, when single files were named.

    Models used by ``handlers.py`` live in other files; when the user names
    files rather than the whole app, the rest of the root is read (not
    rewritten) so those models still resolve.
    """
    if not config.index_root or all(os.path.isdir(p) for p in config.paths):
        return []
    extra = discover([root], use_gitignore=config.use_gitignore).files
    return [p.resolve() for p in extra if str(p.resolve()) not in targets]


def module_names(root: str, paths: List[str]) -> dict:
    """``{path: (module, package)}`` from libcst's FullRepoManager / FullyQualifiedNameProvider cache.

    The same computation libcst uses for fully qualified names, so the index
    keys and the names the rules resolve agree.
    """
    manager = FullRepoManager(root, paths, {FullyQualifiedNameProvider})
    out = {}
    for path in paths:
        try:
            names: Any = manager.get_cache_for_path(path)[FullyQualifiedNameProvider]  # a ModuleNameAndPackage
            out[path] = (names.name, names.package)
        except Exception:  # outside the root: the file's own name
            out[path] = (Path(path).stem, "")
    return out


def _text(path: str) -> str:
    """The file's text for :func:`package_members` (what cannot be read counts as empty)."""
    try:
        data, _ = read_bytes(path)
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)


# -- workers ------------------------------------------------------------------------
_STATE: Optional[Tuple] = None


def _init_worker(state: Optional[Tuple]) -> None:
    global _STATE
    _STATE = state


def _prepare_task(task: tuple) -> Prepared:
    return prepare(*task)


def _transform_task(item: Prepared) -> FileResult:
    assert _STATE is not None  # set by _init_worker
    index, rule_ids, options, mode = _STATE
    return transform(item, index, rule_ids, options, mode)


def _map(func: Callable, items: list, jobs: int, progress: Progress, state: Optional[Tuple]) -> list:
    if jobs <= 1:
        _init_worker(state)
        out = []
        for item in items:
            out.append(func(item))
            progress.advance()
        return out
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    # biggest files first, one at a time: no worker is left with a long file (or a chunk) at the end
    ordered = sorted(items, key=_size, reverse=True)
    out = []
    with context.Pool(jobs, initializer=_init_worker, initargs=(state,)) as pool:
        for value in pool.imap_unordered(func, ordered, chunksize=1):
            out.append(value)
            progress.advance()
    return out


def _size(item: Any) -> int:
    """How much work an item is, roughly: its source length (a phase-1 task is sized by its file)."""
    if isinstance(item, Prepared):
        return len(item.source or "")
    try:
        return os.path.getsize(item[0])
    except OSError:
        return 0
