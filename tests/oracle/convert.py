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
        """Where the converted text of program ``name`` is."""
        return self.folder / (name + ".py")

    def todo_lines(self, name):
        """The converted program's TODO comments as (line, rule, message)."""
        return self.todos.get(name, [])


def convert_all(programs, workdir, target):
    """Copy ``programs`` (a list of paths) to ``workdir/target`` and run ``db2ndb --to target`` over them once."""
    folder = Path(workdir) / target
    folder.mkdir(parents=True, exist_ok=True)
    for path in programs:
        shutil.copyfile(path, folder / Path(path).name)
    report = Path(workdir) / ("db2ndb-%s.json" % target)
    code = main([str(folder), "-q", "--no-progress", "--to", target, "--report", str(report)])
    if code not in (EXIT_OK, EXIT_FAILED):
        raise RuntimeError("db2ndb --to %s exited %d on the differential programs" % (target, code))
    conversion = Conversion(target, folder)
    for entry in json.loads(report.read_text())["files"]:
        name = Path(entry["path"]).stem
        conversion.statuses[name] = entry["status"]
        if entry.get("error"):
            conversion.errors[name] = entry["error"]
        conversion.todos[name] = [(t["line"], t["rule"], t["message"]) for t in entry.get("todos", [])]
    return conversion
