"""The codemods' differential suite: legacy ``db`` programs against the legacy SDK's own observations.

Every program in ``programs/`` ran once on appengine-python-standard under
testbed (``make golden`` wrote ``golden/<name>.json``). Here each is converted
by one ``db2ndb --to ndb`` run and one ``db2ndb --to compat`` run, and every
converted program runs against the emulator (one test per program per side);
its observations must match the golden (tests/oracle/compare.py has the rules).
"""

from pathlib import Path

import pytest

from known_differences import KNOWN
from oracle import convert, sides, suite

HERE = Path(__file__).parent
NAMES = suite.program_names(HERE)
PENDING = suite.read_pending(HERE)


@pytest.fixture(scope="module")
def conversions(tmp_path_factory):
    """Every program converted once per target."""
    workdir = tmp_path_factory.mktemp("differential")
    paths = suite.program_paths(HERE)
    return {target: convert.convert_all(paths, workdir, target) for target in ("ndb", "compat")}


def _check(mode, name, conversions, emulator, ndb_client=None):
    conversion = conversions[mode]
    assert conversion.statuses.get(name) != "failed", "db2ndb --to %s failed on %s: %s" % (
        mode, name, conversion.errors.get(name))
    original = suite.program_path(HERE, name)
    observed = sides.run_program(mode, name, conversion.path(name), original, emulator, ndb_client)
    suite.check(HERE, mode, name, observed, KNOWN[mode].get(name), conversion.todo_lines(name),
                PENDING.get(mode, {}).get(name))


@pytest.mark.parametrize("name", NAMES)
def test_ndb(name, conversions, datastore_emulator, ndb_client):
    """The program converted by ``db2ndb --to ndb`` observes on google-cloud-ndb what it observed on legacy db."""
    _check("ndb", name, conversions, datastore_emulator, ndb_client)


@pytest.mark.parametrize("name", NAMES)
def test_compat(name, conversions, datastore_emulator):
    """The program converted by ``db2ndb --to compat`` observes on the shim what it observed on legacy db."""
    _check("compat", name, conversions, datastore_emulator)


# The unconverted text through compat.install() (the mode the shim's own differential suite uses): a sample
# of the programs, a Python 2 one and the package program included, keeps the mode working.
INSTALL_SAMPLE = ["a006_blogapp", "f007_entity_as_filter_value", "m003_polymodel_hierarchy", "py004_transaction_py2",
                  "t002_delete_atomicity"]


@pytest.mark.parametrize("name", INSTALL_SAMPLE)
def test_install(name, datastore_emulator):
    """The original program, unconverted, run through ``compat.install()`` observes what it observed on legacy db."""
    original = suite.program_path(HERE, name)
    observed = sides.run_program("install", name, original, original, datastore_emulator)
    suite.check(HERE, "install", name, observed, KNOWN["compat"].get(name), (), PENDING.get("install", {}).get(name))
