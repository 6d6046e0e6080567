"""codemods: rewrite legacy App Engine ``db`` code to google-cloud-ndb, or onto the shim.

The package is a small rule framework on libcst's codemod machinery:

* :mod:`codemods.framework` - the :class:`~codemods.framework.rule.Rule` base
  class (a ``VisitorBasedCodemodCommand``), the batched rule suite that runs
  every enabled rule in one traversal, and TODO comments.
* :mod:`codemods.analysis` - the cross-file model index and the conservative
  type inference that decides whether a receiver is a model, key or query.
* :mod:`codemods.rules` - one module per rule, each with a stable ``DBnnn`` id.
* :mod:`codemods.runner` - file discovery, Python 2 fixing (fissix), the
  per-file pipeline, parallel execution, atomic writes and reports.
* :mod:`codemods.cli` - the ``db2ndb`` command (also ``python -m codemods``).
"""

from compat._version import __version__  # one distribution, one version

__all__ = ["__version__"]
