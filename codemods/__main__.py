"""``python -m codemods``: the same command as ``db2ndb``."""

from codemods._entry import main

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    raise SystemExit(main())
