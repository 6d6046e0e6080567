import importlib.util

pytest_plugins = ["pytester"]

# The Beam migration tests need the optional [beam] extra, which pins protobuf
# to an older major version, so `make test` runs them in a venv of their own
# (.venv-beam); an environment without Apache Beam does not collect them.
collect_ignore = []
if importlib.util.find_spec("apache_beam") is None:
    collect_ignore.append("compat/tz/test_migrate_beam.py")
