"""compat.ndb_legacy.ClassNamesProperty: a PolyModel class overriding class_name() stores what legacy stored.

Observed on the legacy SDK (tests/codemods/semantic/programs/pm002): the
``class`` list holds the classes' ``__name__``s, while ``class_key()`` and the
queries use ``class_name()`` (so such an entity does not load: KindError).
"""

from google.cloud import ndb

from compat import ndb_legacy


class Figure(ndb.PolyModel):
    pass


class Disc(Figure):
    class_ = ndb_legacy.ClassNamesProperty()
    r = ndb.FloatProperty()

    @classmethod
    def _class_name(cls):
        return "Round"


class Box(Figure):
    pass


def test_the_class_list_holds_python_names(ndb_client, clean_datastore, raw_client):
    with ndb_client.context(cache_policy=lambda key: False):
        Disc(id="d", r=1.0).put()
        Box(id="b").put()
        assert Disc._class_key() == ["Figure", "Round"]  # the queries' filter, as legacy's class_key()
        assert Disc.query().fetch() == []  # legacy's query found nothing either
        assert [type(e).__name__ for e in Box.query()] == ["Box"]
    assert raw_client.get(raw_client.key("Figure", "d"))["class"] == ["Figure", "Disc"]
    assert raw_client.get(raw_client.key("Figure", "b"))["class"] == ["Figure", "Box"]
