"""compat.ndb_legacy.ClassNamesProperty: a PolyModel class overriding class_name() stores what legacy stored.

Observed on the legacy SDK (tests/codemods/semantic/programs/pm002): the
``class`` list holds the classes' ``__name__``s, while ``class_key()`` and the
queries use ``class_name()`` (so such an entity does not load: KindError).
"""

from google.cloud import ndb

from compat import ndb_legacy


class Sketch(ndb.PolyModel):
    pass


class Ring(Sketch):
    class_ = ndb_legacy.ClassNamesProperty()
    r = ndb.FloatProperty()

    @classmethod
    def _class_name(cls):
        return "Round"


class Tile(Sketch):
    pass


def test_the_class_list_holds_python_names(ndb_client, clean_datastore, raw_client):
    with ndb_client.context(cache_policy=lambda key: False):
        Ring(id="d", r=1.0).put()
        Tile(id="b").put()
        assert Ring._class_key() == ["Sketch", "Round"]  # the queries' filter, as legacy's class_key()
        assert Ring.query().fetch() == []  # legacy's query found nothing either
        assert [type(e).__name__ for e in Tile.query()] == ["Tile"]
    assert raw_client.get(raw_client.key("Sketch", "d"))["class"] == ["Sketch", "Ring"]
    assert raw_client.get(raw_client.key("Sketch", "b"))["class"] == ["Sketch", "Tile"]
