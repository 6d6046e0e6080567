"""Every program of a suite converted by one ``db2ndb`` run per target (in-process, through the CLI's ``main``)."""

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from codemods.cli import EXIT_FAILED, EXIT_OK, main


@dataclass
class Conversion:
    """The converted copies of a suite's programs for one target, with what db2ndb reported per program."""

    target: str
    folder: Path
    statuses: dict = field(default_factory=dict)  # program name -> "changed" | "unchanged" | "failed"
    errors: dict = field(default_factory=dict)  # program name -> db2ndb's error text
    todos: dict = field(default_factory=dict)  # program name -> [(line, rule, message)]

    def path(self, name):
        """Where the converted program ``name`` is (a module file or a package folder)."""
        base = self.folder / name
        return base if base.is_dir() else base.with_suffix(".py")

    def todo_lines(self, name):
        """The converted program's TODO comments as (line, rule, message)."""
        return self.todos.get(name, [])


def convert_all(programs, workdir, target):
    """Copy ``programs`` (a list of paths) to ``workdir/target`` and run ``db2ndb --to target`` over them once."""
    folder = Path(workdir) / target
    folder.mkdir(parents=True, exist_ok=True)
    for path in map(Path, programs):
        if path.is_dir():
            shutil.copytree(path, folder / path.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(path, folder / path.name)
    report = Path(workdir) / ("db2ndb-%s.json" % target)
    code = main([str(folder), "-q", "--no-progress", "--to", target, "--report", str(report)])
    if code not in (EXIT_OK, EXIT_FAILED):
        raise RuntimeError("db2ndb --to %s exited %d on the differential programs" % (target, code))
    conversion = Conversion(target, folder)
    for entry in json.loads(report.read_text())["files"]:
        name, module = _program_of(folder, Path(entry["path"]))
        if entry["status"] == "failed" or name not in conversion.statuses:
            conversion.statuses[name] = entry["status"]
        if entry.get("error"):
            conversion.errors[name] = "%s: %s" % (module, entry["error"])
        conversion.todos.setdefault(name, []).extend(
            (t["line"], t["rule"], t["message"]) for t in entry.get("todos", []))
    return conversion


def _program_of(folder, reported):
    """(program name, module path inside it) for a file db2ndb reported (relative to the cwd or absolute)."""
    resolved = reported if reported.is_absolute() else (Path.cwd() / reported)
    relative = resolved.resolve().relative_to(folder.resolve())
    return relative.parts[0].removesuffix(".py"), str(relative)
