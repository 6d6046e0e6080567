"""The version of the ``appengine-db-compat`` distribution: written here only (pyproject.toml reads it)."""

__version__ = "0.1.0"
