"""``db.polymodel.PolyModel``: a hierarchy stored in the root's kind with the ``class`` list
(root first), loaded back as the right subclass, queried polymorphically."""

import pytest
from google.cloud.datastore import Entity

from compat import db
from compat.db import polymodel


class PolyContact(polymodel.PolyModel):
    name = db.StringProperty()


class PolyPerson(PolyContact):
    phone = db.PhoneNumberProperty()


class PolyEmployee(PolyPerson):
    badge = db.IntegerProperty()


class PolyCompany(PolyContact):
    pass


def test_class_list_is_stored_root_first_and_indexed_in_the_root_kind(raw):
    key = PolyEmployee(name="e", phone="1", badge=7).put()

    assert key.kind() == "PolyContact"
    stored = raw.stored(key)
    assert stored["class"] == ("array", [("string", "PolyContact", None, False), ("string", "PolyPerson", None, False),
                                         ("string", "PolyEmployee", None, False)], None, False)
    assert stored["phone"] == ("string", "1", 11, False)
    assert stored["badge"] == ("integer", 7, None, False)
    root_key = PolyContact(name="r").put()
    assert raw.stored(root_key)["class"] == ("array", [("string", "PolyContact", None, False)], None, False)


def test_loading_through_the_root_or_db_get_gives_the_subclass(raw):
    key = PolyEmployee(name="e", badge=1).put()

    for loaded in (PolyContact.get(key), PolyPerson.get(key), PolyEmployee.get(key), db.get(key)):
        assert type(loaded) is PolyEmployee
        assert (loaded.name, loaded.badge) == ("e", 1)
    assert type(PolyContact.get_by_id(key.id())) is PolyEmployee


def test_getting_a_sibling_class_through_a_subclass_raises_kind_error(raw):
    key = PolyCompany(name="c").put()
    with pytest.raises(db.KindError):
        PolyPerson.get(key)


def test_class_introspection():
    assert PolyEmployee.kind() == "PolyContact"
    assert PolyEmployee.class_key() == ("PolyContact", "PolyPerson", "PolyEmployee")
    assert PolyEmployee.class_name() == "PolyEmployee"
    assert sorted(PolyEmployee.properties()) == ["_class", "badge", "name", "phone"]
    with pytest.raises(NotImplementedError):
        polymodel.PolyModel()


def test_the_class_property_is_derived_and_cannot_be_set():
    employee = PolyEmployee()
    assert employee._class == ["PolyContact", "PolyPerson", "PolyEmployee"]
    with pytest.raises(db.DerivedPropertyError):
        employee._class = ["PolyContact"]
    with pytest.raises(db.DerivedPropertyError):
        PolyEmployee(**{"class": ["PolyContact"]})


def test_queries_on_a_class_return_it_and_its_subclasses(raw):
    PolyContact(name="contact").put()
    PolyPerson(name="person").put()
    PolyEmployee(name="employee").put()
    PolyCompany(name="company").put()

    assert sorted(c.name for c in PolyContact.all()) == ["company", "contact", "employee", "person"]
    assert sorted(c.name for c in PolyPerson.all()) == ["employee", "person"]
    assert [type(c) for c in PolyEmployee.all()] == [PolyEmployee]
    assert [c.name for c in PolyCompany.gql("WHERE name = :1", "company")] == ["company"]
    assert sorted(c.name for c in PolyPerson.gql("ORDER BY name")) == ["employee", "person"]


class PolyInformation(polymodel.PolyModel):
    pass


class SimpleContact(PolyInformation):
    """Renamed in Python from ``Contact``; class_name keeps the stored name for lookups."""

    @classmethod
    def class_name(cls):
        return "Contact"


def test_class_name_maps_old_stored_names_to_a_renamed_class(raw):
    entity = Entity(key=raw.client.key("PolyInformation", "old"))
    entity["class"] = ["PolyInformation", "Contact"]
    raw.put(entity)

    loaded = PolyInformation.get_by_key_name("old")
    assert type(loaded) is SimpleContact
    assert SimpleContact.class_key() == ("PolyInformation", "Contact")


def test_writing_a_renamed_class_stores_the_python_names_as_legacy_did(raw):
    """Legacy quirk kept: the stored list uses ``__name__`` while lookups use ``class_name()``."""
    key = SimpleContact().put()
    assert [item.value for item in raw.stored(key)["class"].value] == ["PolyInformation", "SimpleContact"]


def test_an_unknown_stored_class_key_raises_kind_error(raw):
    entity = Entity(key=raw.client.key("PolyContact", "mystery"))
    entity["class"] = ["PolyContact", "Vanished"]
    raw.put(entity)

    with pytest.raises(db.KindError, match="Vanished"):
        PolyContact.get_by_key_name("mystery")


def test_an_entity_without_a_class_list_loads_as_the_class_asked_for(raw):
    entity = Entity(key=raw.client.key("PolyContact", "plain"))
    entity["name"] = "written before the hierarchy existed"
    raw.put(entity)

    loaded = PolyContact.get_by_key_name("plain")
    assert type(loaded) is PolyContact and loaded.name == "written before the hierarchy existed"
