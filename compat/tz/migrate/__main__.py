"""``python -m compat.tz.migrate``: see :mod:`compat.tz.migrate.cli`."""

import sys

from compat.tz.migrate.cli import main

sys.exit(main())
