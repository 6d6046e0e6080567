"""Python 2 input: detect it (:mod:`.detect`), then run fissix's fixers (:mod:`.fix`, :mod:`.fixers`).

Detection is exact enough that db2ndb's own output is never taken for
Python 2 again (a second run changes nothing): see :func:`looks_like_py2`.
"""

from codemods.runner.py2.detect import literal_signals, looks_like_py2, parses_as_py3, py2_signals
from codemods.runner.py2.fix import Py2FixError, fix_literals, fix_py2

__all__ = ["Py2FixError", "fix_literals", "fix_py2", "literal_signals", "looks_like_py2", "parses_as_py3",
           "py2_signals"]
