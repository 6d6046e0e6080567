"""One project and datastore lookup for the shim, the read-only switch and the migration tool (no RPC)."""

import pytest

import compat
from compat import _discovery
from compat.capabilities import _clients

VARIABLES = _discovery.PROJECT_VARIABLES + (_discovery.EMULATOR_VARIABLE,)


@pytest.fixture
def environment(monkeypatch):
    """An environment naming nothing; compat's cached clients are dropped before and after."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(_discovery.EMULATOR_VARIABLE, "127.0.0.1:1")  # never contacted: clients are only built
    compat.reset_client()
    _clients.forget_clients()
    yield monkeypatch
    compat.configure(project=None)
    compat.reset_client()
    _clients.forget_clients()


@pytest.mark.parametrize("variable", _discovery.PROJECT_VARIABLES)
def test_every_user_of_a_project_reads_the_same_variables(environment, variable):
    environment.setenv(variable, "from-%s" % variable.lower())
    expected = "from-%s" % variable.lower()
    assert _discovery.default_project() == expected
    assert compat.get_client().project == expected  # compat.db's ndb client
    assert _clients.datastore_client().project == expected  # the maintenance switch, the write probe
    assert _discovery.default_project() == expected  # compat-tz-migrate


def test_the_first_variable_set_wins_and_configure_wins_over_all(environment):
    for index, variable in enumerate(reversed(_discovery.PROJECT_VARIABLES)):
        environment.setenv(variable, "p%d" % index)
    assert _discovery.configured_project() == "p%d" % (len(_discovery.PROJECT_VARIABLES) - 1)  # DATASTORE_PROJECT_ID
    compat.configure(project="configured")
    assert _discovery.configured_project() == "configured"
    assert compat.get_client().project == "configured"
    assert _clients.datastore_client().project == "configured"


def test_an_explicit_environment_mapping_is_read_instead_of_os_environ(environment):
    assert _discovery.configured_project({"GCLOUD_PROJECT": "mapped"}) == "mapped"
    assert _discovery.emulator_host({}) is None
    assert _discovery.emulator_host({"DATASTORE_EMULATOR_HOST": "h:1"}) == "h:1"

