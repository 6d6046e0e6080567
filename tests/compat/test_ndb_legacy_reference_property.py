"""compat.ndb_legacy.ReferenceProperty: legacy ``db.ReferenceProperty``'s assignment rules.

Observed on the legacy SDK (testbed): a key of any kind is taken (reading it
later fails if nothing is there), an entity is stored as its key (without a
complete key: BadValueError; of another class: KindError), anything else
raises AttributeError (legacy called ``value.has_key()``).
"""

import pytest
from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat import ndb_legacy


class RefTeam(ndb.Model):
    pass


class RefOther(ndb.Model):
    pass


class RefPlayer(ndb.Model):
    team = ndb_legacy.ReferenceProperty(kind=RefTeam)
    anything = ndb_legacy.ReferenceProperty()
    mentor = ndb_legacy.ReferenceProperty(kind="RefPlayer")


@pytest.mark.parametrize("value", ["not a key", 5])
def test_a_value_that_is_no_key_or_entity_raises_attribute_error(value, datastore_emulator):
    with pytest.raises(AttributeError, match="has no attribute 'has_key'"):
        RefPlayer(team=value)
    player = RefPlayer()
    with pytest.raises(AttributeError):
        player.team = value


def test_entities_are_stored_as_their_keys_with_legacys_checks(ndb_client):
    with ndb_client.context():
        team = RefTeam(id="red")
        assert RefPlayer(team=team, anything=RefOther(id="o")).team == team.key
        with pytest.raises(ndb.KindError, match="Property team must be an instance of RefTeam"):
            RefPlayer(team=RefOther(id="o"))
        with pytest.raises(ndb.KindError, match="Property mentor must be an instance of RefPlayer"):
            RefPlayer(mentor=team)
        with pytest.raises(exceptions.BadValueError, match="must have a complete key"):
            RefPlayer(team=RefTeam())


def test_a_key_of_any_kind_is_taken_and_stored(ndb_client, clean_datastore):
    with ndb_client.context(cache_policy=lambda key: False):
        key = RefPlayer(team=ndb.Key("RefOther", 1)).put()
        assert key.get().team == ndb.Key("RefOther", 1)
        assert RefPlayer.query(RefPlayer.team == ndb.Key("RefOther", 1)).count() == 1
