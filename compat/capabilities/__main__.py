"""``python -m compat.capabilities``: see :mod:`compat.capabilities.cli`."""

import sys

from compat.capabilities.cli import main

if __name__ == "__main__":
    sys.exit(main())
