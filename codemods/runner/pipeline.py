"""The per-file pipeline: read, fix Python 2, index; then rewrite, verify, write.

Two phases so that every file's model classes are known before any file is
rewritten (cross-file resolution):

1. :func:`prepare` - read the file, run fissix when it is Python 2, and
   summarise it for the :class:`~codemods.analysis.index.ProjectIndex`.
2. :func:`transform` - run the rule suite, check the output compiles, then
   write it atomically (or produce a diff).

Neither phase raises for a bad file: the problem is returned in the result.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import libcst as cst
from libcst.codemod import CodemodContext

from codemods.analysis.index import ModuleInfo, ProjectIndex, summarize_module
from codemods.framework import keys
from codemods.framework.options import RuleOptions
from codemods.framework.suite import RuleSuite
from codemods.framework.todo import find_todos
from codemods.rules import RULES_BY_ID
from codemods.runner.files import Signature, read_source_signed, write_atomic
from codemods.runner.py2 import Py2FixError, fix_literals, fix_py2, literal_signals, looks_like_py2

MODE_WRITE = "write"
MODE_DIFF = "diff"
MODE_CHECK = "check"

PY2_AUTO = "auto"
PY2_ALWAYS = "always"
PY2_NEVER = "never"


@dataclass
class Prepared:
    """Phase 1 result for one file."""

    path: str
    display: str
    module: str
    package: str
    encoding: str = "utf-8"
    original: Optional[str] = None
    source: Optional[str] = None
    py2_fixed: bool = False
    info: Optional[ModuleInfo] = None
    error: Optional[str] = None
    #: the file as read (a write only replaces that very file)
    signature: Optional[Signature] = None


@dataclass
class FileResult:
    """What happened to one file (one entry of the JSON report)."""

    path: str
    status: str  # changed | unchanged | failed
    py2_fixed: bool = False
    rules: Dict[str, int] = field(default_factory=dict)
    todos: List[dict] = field(default_factory=list)
    error: Optional[str] = None
    diff: Optional[str] = None

    def to_json(self) -> dict:
        """The report entry."""
        return {
            "path": self.path,
            "status": self.status,
            "py2_fixed": self.py2_fixed,
            "rules_applied": dict(sorted(self.rules.items())),
            "todos": self.todos,
            "error": self.error,
        }


def prepare(path: str, display: str, names: tuple, py2_mode: str, package_member: bool = False) -> Prepared:
    """Phase 1: read, fix Python 2 when needed, index. Never raises for a bad file.

    ``names`` is ``(module, package)`` as computed by :func:`codemods.runner.run.module_names`;
    ``package_member`` says whether the app loads the file as a member of a
    package (see :mod:`codemods.runner.loading`): only then do the Python 2
    fixers make its implicit relative imports explicit.
    """
    module, package = names
    result = Prepared(path=path, display=display, module=module, package=package)
    try:
        text, encoding, result.signature = read_source_signed(Path(path))
    except (OSError, UnicodeDecodeError, SyntaxError) as error:
        result.error = f"cannot read: {error}"
        return result
    result.encoding, result.original, result.source = encoding, text, text
    if py2_mode == PY2_ALWAYS or (py2_mode == PY2_AUTO and looks_like_py2(text)):
        try:
            fixed = fix_py2(text, display, package_file=path if package_member else None, encoding=encoding)
        except Py2FixError as error:
            result.error = str(error)
            return result
        result.py2_fixed = fixed != text
        result.source = fixed
    elif py2_mode != PY2_NEVER and literal_signals(text):
        try:
            result.source = fix_literals(text, display, encoding=encoding)
        except Py2FixError:  # syntax newer than fissix's grammar: leave the literals
            result.source = text
        result.py2_fixed = result.source != text
    try:
        result.info = summarize_module(result.source, module, package)
    except SyntaxError as error:
        result.error = f"does not parse as Python 3{' after the Python 2 fixers' if result.py2_fixed else ''}: line {error.lineno}: {error.msg}"
    return result


def transform(prepared: Prepared, index: ProjectIndex, rule_ids: Sequence[str], options: RuleOptions, mode: str) -> FileResult:
    """Phase 2: rewrite one prepared file. Never raises for a bad file."""
    result = FileResult(path=prepared.display, status="failed", py2_fixed=prepared.py2_fixed)
    if prepared.error is not None:
        result.error = prepared.error
        return result
    assert prepared.source is not None and prepared.original is not None  # read: prepare() found no error
    try:
        module = cst.parse_module(prepared.source)
    except cst.ParserSyntaxError as error:
        result.error = f"libcst cannot parse it: {str(error).splitlines()[0]}"
        return result
    context = CodemodContext(
        filename=prepared.path,
        full_module_name=prepared.module,
        full_package_name=prepared.package,
        scratch={keys.INDEX: index, keys.OPTIONS: options},
    )
    try:
        rules = _rules(tuple(rule_ids), options, context)
        new_module = RuleSuite(context, rules, options).transform_module(module)
        cached = keys.CODE.get(context)
        new_code = cached[1] if cached is not None and cached[0] is new_module else new_module.code
    except Exception as error:  # a bug in a rule must not abort the run
        result.error = f"internal error in the rules ({type(error).__name__}: {error}); file left untouched"
        return result
    result.rules = dict(keys.CONVERTED.get(context, {}))
    result.todos = [{"line": t.line, "rule": t.rule, "message": t.message} for t in find_todos(new_code)]
    if new_code == prepared.original:
        result.status = "unchanged"
        return result
    # the rules' output must compile; unchanged by the rules, it is the source the parsers already read
    problem = _verify(new_code, prepared.original) if new_code != prepared.source else None
    if problem is not None:
        result.error = f"the rewritten code does not compile ({problem}); file left untouched"
        result.todos = []
        return result
    result.status = "changed"
    if mode == MODE_DIFF:
        result.diff = "".join(
            difflib.unified_diff(
                prepared.original.splitlines(keepends=True),
                new_code.splitlines(keepends=True),
                fromfile=f"a/{prepared.display}",
                tofile=f"b/{prepared.display}",
            )
        )
    elif mode == MODE_WRITE:
        try:
            write_atomic(Path(prepared.path), new_code, prepared.encoding, prepared.signature)
        except (OSError, UnicodeEncodeError) as error:
            result.status = "failed"
            result.error = f"cannot write: {error}"
    return result


_RULE_CACHE: Dict[tuple, list] = {}


def _rules(rule_ids: tuple, options: RuleOptions, context: CodemodContext) -> list:
    """Rule instances, built once per process (building libcst transformers is costly).

    The suite hands each rule the file's context before the traversal; rules
    keep no state across files.
    """
    key = (rule_ids, options)
    rules = _RULE_CACHE.get(key)
    if rules is None:
        rules = [RULES_BY_ID[rule_id](context, options) for rule_id in rule_ids]
        _RULE_CACHE[key] = rules
    return rules


def _verify(code: str, original: str) -> Optional[str]:
    """Why the rewritten ``code`` must not be written, or None.

    It must compile: ``compile()`` refuses what does not parse and also what
    the parser accepts but Python does not run, such as a keyword passed
    twice (``f(a=1, a=2)``). A compile error the original text had already
    is not the rewrite's fault. (libcst is not asked to parse it again: the
    code is libcst's own rendering of a tree, and compiling costs a tenth
    of a libcst parse.)
    """
    try:
        compile(code, "<db2ndb output>", "exec", dont_inherit=True)
    except SyntaxError as error:
        if _compile_error(original) == error.msg:
            return None
        return f"line {error.lineno}: {error.msg}"
    return None


def _compile_error(source: str) -> Optional[str]:
    """The message of the SyntaxError ``compile()`` raises for ``source`` (the original text), or None."""
    try:
        compile(source, "<db2ndb input>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return getattr(error, "msg", str(error))
    return None
