"""The testbed stand-in beyond what legacy suites exercise: ndb code, leftovers, unemulated services."""

import os

import pytest
from google.cloud import ndb

from compat.testing import datastore_stub_util, testbed


class BedCounter(ndb.Model):
    value = ndb.IntegerProperty()


@pytest.fixture
def bed(datastore_emulator):
    bed = testbed.Testbed()
    bed.activate()
    yield bed
    if bed._activated:
        bed.deactivate()


def test_converted_ndb_code_runs_without_a_context_of_its_own(bed):
    bed.init_datastore_v3_stub()
    key = BedCounter(value=3).put()
    assert key.id() == 1  # a wiped emulator, sequential ids, as legacy's default policy
    assert key.get().value == 3
    bed.deactivate()
    assert ndb.get_context(False) is None  # the context ended with the testbed


def test_datastore_stub_wipes_what_was_there(bed, datastore_emulator):
    bed.init_datastore_v3_stub()
    BedCounter(value=1).put()
    bed.init_datastore_v3_stub()  # a second init starts clean again
    assert BedCounter.query().count() == 0


def test_scattered_auto_ids_then_back_to_sequential(bed):
    bed.init_datastore_v3_stub(auto_id_policy=testbed.AUTO_ID_POLICY_SCATTERED)
    assert BedCounter(value=1).put().id() > 2 ** 32
    bed.deactivate()
    bed.activate()
    bed.init_datastore_v3_stub()
    assert BedCounter(value=1).put().id() == 1


def test_a_policy_the_emulator_cannot_follow_is_refused_by_name(bed):
    class Custom(datastore_stub_util.BaseHighReplicationConsistencyPolicy):
        def _ShouldApply(self, txn, meta_data):
            return True

    with pytest.raises(TypeError, match="Custom"):
        bed.init_datastore_v3_stub(consistency_policy=Custom())


def test_unemulated_services_are_accepted_but_say_so_when_used(bed):
    bed.init_all_stubs()
    mail = bed.get_stub(testbed.MAIL_SERVICE_NAME)
    with pytest.raises(NotImplementedError, match="'mail' service"):
        mail.get_sent_messages(to="a@example.com")
    taskqueue = bed.get_stub(testbed.TASKQUEUE_SERVICE_NAME)
    with pytest.raises(NotImplementedError, match="taskqueue"):
        taskqueue.get_filtered_tasks()


def test_deactivate_restores_the_environment(bed):
    os.environ.pop("H6_MARK", None)
    bed.setup_env(h6_mark="x", auth_domain="example.org", overwrite=True)
    assert os.environ["H6_MARK"] == "x" and os.environ["AUTH_DOMAIN"] == "example.org"
    bed.deactivate()
    assert "H6_MARK" not in os.environ


def test_a_testbed_left_active_is_deactivated_after_the_test(datastore_emulator):
    # what the plugin does after each test, for suites whose tearDown never ran
    leftover = testbed.Testbed()
    leftover.activate()
    leftover.init_datastore_v3_stub()
    testbed.deactivate_leftovers()
    assert not leftover._activated
    assert ndb.get_context(False) is None


def test_an_emulator_started_during_a_test_stays_exported(datastore_emulator, monkeypatch):
    # the first testbed of a session starts the emulator after activate() saved the environment
    bed = testbed.Testbed()
    monkeypatch.delenv("DATASTORE_EMULATOR_HOST")
    bed.activate()
    monkeypatch.setenv("DATASTORE_EMULATOR_HOST", datastore_emulator.host)
    bed.deactivate()
    assert os.environ["DATASTORE_EMULATOR_HOST"] == datastore_emulator.host
