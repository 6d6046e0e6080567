"""The rule base class: a libcst ``VisitorBasedCodemodCommand`` with a stable id.

A rule is an ordinary libcst codemod command (``visit_*`` / ``leave_*``
methods), so it can be run and tested alone (``CodemodTest``); in the CLI all
enabled rules run together in a single traversal (:mod:`codemods.framework.suite`).
Rules use only plain ``visit_<Node>`` / ``leave_<Node>`` methods (no matcher
decorators): the suite dispatches those.

Shared services for rules:

* :attr:`types` - the file's :class:`~codemods.analysis.inference.TypeEngine`;
* :meth:`todo` - leave a ``# TODO(db2ndb:ID)`` above the current statement;
* :meth:`add_statement_after` - insert a statement after the current (simple) statement;
* :meth:`converted` - count one converted construct for the report;
* :meth:`ndb` - build ``ndb.<name>`` and make sure ``from google.cloud import ndb`` is imported.
"""

from __future__ import annotations

from typing import ClassVar, FrozenSet, Optional, Sequence

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import QualifiedNameProvider, ScopeProvider

from codemods.analysis.assignments import AssignedValueProvider
from codemods.analysis.inference import TypeEngine
from codemods.framework import keys
from codemods.framework.options import TARGET_NDB, RuleOptions


class Rule(VisitorBasedCodemodCommand):
    """Base class of every db2ndb rule.

    Subclasses set ``ID`` (``DBnnn``, stable forever), ``TITLE`` (one line) and
    ``TARGETS`` (which ``--to`` targets the rule belongs to), and document in
    their class docstring the legacy behaviour they reproduce, with a
    before/after example. ``db2ndb list`` prints that docstring.
    """

    ID: ClassVar[str] = "DB000"
    TITLE: ClassVar[str] = ""
    TARGETS: ClassVar[FrozenSet[str]] = frozenset({TARGET_NDB})
    #: canonical legacy names (``db.ListProperty``) this rule converts, for DB001's residue bookkeeping
    HANDLES: ClassVar[FrozenSet[str]] = frozenset()
    #: the TODO catalogue: each situation where the rule leaves a TODO, and what to do (docs/codemods.md)
    TODOS: ClassVar[tuple] = ()

    METADATA_DEPENDENCIES = (ScopeProvider, QualifiedNameProvider, AssignedValueProvider)

    def __init__(self, context: CodemodContext, options: Optional[RuleOptions] = None) -> None:
        super().__init__(context)
        self.options: RuleOptions = options or keys.OPTIONS.get(context) or RuleOptions()

    # -- running alone ---------------------------------------------------------
    def transform_module(self, tree: cst.Module) -> cst.Module:
        """Run this rule alone (CodemodTest, libcst tooling) through a one-rule suite."""
        from codemods.framework.suite import RuleSuite

        return RuleSuite(self.context, [self], self.options).transform_module(tree)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:  # pragma: no cover - suite path
        return tree.visit(self)

    def finalize(self, module: cst.Module) -> cst.Module:
        """Hook run once after the traversal (before import fix-ups); default: unchanged."""
        return module

    # -- services ----------------------------------------------------------------
    @property
    def types(self) -> TypeEngine:
        """The type inference engine of the file being rewritten."""
        return keys.ENGINE.require(self.context)

    def todo(self, message: str) -> None:
        """Ask for a ``# TODO(db2ndb:<ID>): message`` above the statement being visited."""
        keys.DISPATCHER.require(self.context).add_todo(self.ID, message, self.options.docs_link(self.ID))

    def add_statement_after(self, statement: cst.BaseStatement) -> bool:
        """Insert ``statement`` after the (simple) statement being visited; False if it is not simple."""
        return keys.DISPATCHER.require(self.context).add_after(statement)

    def current_statement(self) -> Optional[cst.CSTNode]:
        """The innermost statement (original tree) the traversal is in."""
        return keys.DISPATCHER.require(self.context).current_statement()

    def converted(self, count: int = 1) -> None:
        """Count converted constructs (reported per rule)."""
        counts = keys.CONVERTED.setdefault(self.context, {})
        counts[self.ID] = counts.get(self.ID, 0) + count

    def ndb(self, dotted_name: str) -> cst.BaseExpression:
        """``ndb.<dotted_name>`` as an expression; schedules ``from google.cloud import ndb``."""
        self.require_ndb()
        return cst.parse_expression(f"ndb.{dotted_name}")

    def helper(self, dotted_name: str) -> cst.BaseExpression:
        """``ndb_legacy.<dotted_name>`` (the runtime helper :mod:`compat.ndb_legacy`); schedules its import.

        For the legacy behaviours plain ndb cannot spell (docs/codemods.md,
        "The runtime helper").
        """
        AddImportsVisitor.add_needed_import(self.context, "compat", "ndb_legacy")
        return cst.parse_expression(f"ndb_legacy.{dotted_name}")

    def target(self, dotted_name: str) -> cst.BaseExpression:
        """``ndb.X`` or ``ndb_legacy.X`` from a dotted name starting with either module."""
        module, _, rest = dotted_name.partition(".")
        if module == "ndb_legacy":
            return self.helper(rest)
        if module == "ndb":
            return self.ndb(rest)
        return cst.parse_expression(dotted_name)

    def require_ndb(self) -> None:
        """Make sure the module imports ``ndb`` from google.cloud."""
        if not keys.NDB_REQUESTED.get(self.context):
            keys.NDB_REQUESTED.set(self.context, True)
            if not keys.NDB_IMPORTED.get(self.context):  # DB001 put it in place already
                AddImportsVisitor.add_needed_import(self.context, "google.cloud", "ndb")

    def legacy(self, node: cst.CSTNode, *names: str) -> bool:
        """True if ``node`` (of the original tree) names one of the canonical legacy ``names``."""
        return self.types.is_legacy(node, *names)

    @classmethod
    def describe(cls) -> str:
        """The rule's documentation as ``db2ndb list`` prints it."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or cls.TITLE)

    @staticmethod
    def keyword(call: cst.Call, name: str) -> Optional[cst.Arg]:
        """The keyword argument ``name`` of ``call``, if given."""
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg
        return None

    @staticmethod
    def positional(call: cst.Call) -> Sequence[cst.Arg]:
        """The positional arguments of ``call`` (no keywords, no ``*``/``**``)."""
        return [a for a in call.args if a.keyword is None and not a.star]
