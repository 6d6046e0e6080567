"""The ``db2ndb`` console script and ``python -m codemods``: a clear message when the ``codemods`` extra is missing.

``pip install appengine-db-compat`` installs the shim alone; the codemods
need libcst, fissix and pathspec, which ``pip install
'appengine-db-compat[codemods]'`` adds. Without them the command says so
instead of ending in an ImportError traceback.
"""

import sys

_EXTRA_MODULES = ("libcst", "fissix", "pathspec")


def main(argv=None):
    """Run ``db2ndb`` (``codemods.cli.main``); exit code 2 with a message when the extra is not installed."""
    try:
        from codemods.cli import main as run  # the only import of the codemods: the extra may be missing
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in _EXTRA_MODULES:
            raise
        sys.stderr.write("db2ndb: the codemods need %s, which is not installed. Install the codemods extra: "
                         "pip install 'appengine-db-compat[codemods]'\n" % error.name)
        return 2
    return run(argv)
