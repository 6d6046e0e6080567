# The conftest a legacy app's test suite gets when it moves to Python 3:
# install the shim before the tests import google.appengine. The same files
# run on the real legacy SDK (scripts/legacy_testbed_golden.py), where compat
# is not installed and this does nothing.
try:
    from compat import install, uninstall
except ImportError:  # the legacy SDK's own venv
    install = uninstall = None

if install is not None:
    install()


def pytest_collection_finish(session):
    # the modules are imported; give later tests of our own suite a clean slate
    if uninstall is not None:
        uninstall()


def pytest_collection_modifyitems(config, items):
    # these tests reach the emulator through the testbed, not a fixture: say so for `-m "not emulator"`
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker("emulator")
