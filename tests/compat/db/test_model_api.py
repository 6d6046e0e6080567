"""The legacy ``db.Model`` API: constructor forms, keys, put/delete, class getters, get_or_insert,
``db.to_dict`` and ComputedProperty."""

import threading

import pytest

from compat import db


class ApiAuthor(db.Model):
    name = db.StringProperty()


class ApiBook(db.Model):
    title = db.StringProperty()
    pages = db.IntegerProperty(default=100)


class KindOverride(db.Model):
    @classmethod
    def kind(cls):
        return "LegacyKindName"

    value = db.IntegerProperty()


# -- constructor forms and keys --------------------------------------------------------------


def test_unsaved_instance_without_key_name_has_no_key(raw):
    book = ApiBook(title="t")
    assert not book.is_saved()
    assert not book.has_key()
    with pytest.raises(db.NotSavedError):
        book.key()
    key = book.put()
    assert book.is_saved() and book.key() == key
    assert key.kind() == "ApiBook" and isinstance(key.id(), int) and key.name() is None
    assert raw.stored(key)["title"] == ("string", "t", None, False)


def test_key_name_gives_a_complete_key_before_put(raw):
    book = ApiBook(key_name="dune")
    assert book.key() == db.Key.from_path("ApiBook", "dune")
    assert book.has_key() and not book.is_saved()
    assert book.put() == db.Key.from_path("ApiBook", "dune")
    assert raw.entity(book.key()) is not None


def test_parent_may_be_an_entity_or_a_key(raw):
    author = ApiAuthor(key_name="herbert")
    by_entity = ApiBook(parent=author, key_name="dune")
    by_key = ApiBook(parent=author.key(), key_name="messiah")
    assert by_entity.parent_key() == by_key.parent_key() == author.key()
    assert by_entity.key() == db.Key.from_path("ApiAuthor", "herbert", "ApiBook", "dune")
    auto = ApiBook(parent=author.key())
    key = auto.put()
    assert key.parent() == author.key() and key.id() is not None


def test_an_unsaved_parent_without_a_key_is_refused():
    with pytest.raises(db.BadValueError, match="must have a complete key"):
        ApiBook(parent=ApiAuthor())


def test_parent_of_a_wrong_type_is_refused():
    with pytest.raises(TypeError, match="Expected Model type"):
        ApiBook(parent=42)


def test_key_argument_forms(datastore_emulator):
    key = db.Key.from_path("ApiAuthor", "a", "ApiBook", 7)
    assert ApiBook(key=key).key() == key
    assert ApiBook(key=str(key)).key() == key
    assert ApiBook(key=key, key_name=None, parent=db.Key.from_path("ApiAuthor", "a")).key() == key
    with pytest.raises(db.BadKeyError, match="Expected Key kind to be ApiBook"):
        ApiBook(key=db.Key.from_path("ApiAuthor", "a"))
    with pytest.raises(db.BadArgumentError, match="key and key_name"):
        ApiBook(key=key, key_name="other")
    with pytest.raises(db.BadArgumentError, match="key and parent"):
        ApiBook(key=key, parent=db.Key.from_path("ApiAuthor", "b"))
    with pytest.raises(TypeError, match="Expected Key type"):
        ApiBook(key=42)


@pytest.mark.parametrize("key_name, error", [("", db.BadKeyError), (5, db.BadKeyError)])
def test_bad_key_names_are_refused(key_name, error):
    with pytest.raises(error):
        ApiBook(key_name=key_name)


def test_put_twice_keeps_the_key_and_updates_in_place(raw):
    book = ApiBook(title="first")
    key = book.put()
    book.title = "second"
    assert book.put() == key
    assert raw.count("ApiBook") == 1
    assert ApiBook.get(key).title == "second"


def test_delete_removes_the_entity_and_keeps_the_key(raw):
    book = ApiBook(key_name="gone", title="t")
    key = book.put()
    book.delete()

    assert raw.entity(key) is None
    assert not book.is_saved()
    assert book.key() == key
    assert ApiBook.get(key) is None
    book.put()  # an instance can be written again after delete
    assert raw.entity(key) is not None


def test_parent_fetches_the_parent_once_and_parent_key_fetches_nothing(raw, counted):
    author_key = ApiAuthor(key_name="a", name="Ann").put()
    book = ApiBook.get(ApiBook(parent=author_key, key_name="b").put())
    counted.reset_counts()

    assert book.parent_key() == author_key
    assert counted.calls["Lookup"] == 0
    parent = book.parent()
    assert isinstance(parent, ApiAuthor) and parent.name == "Ann"
    assert book.parent() is parent
    assert counted.calls["Lookup"] == 1
    assert ApiAuthor.get(author_key).parent() is None and ApiAuthor.get(author_key).parent_key() is None


def test_class_introspection():
    assert ApiBook.kind() == "ApiBook"
    assert sorted(ApiBook.properties()) == ["pages", "title"]
    assert ApiBook.properties()["title"] is ApiBook.title
    assert ApiBook.fields() == ApiBook.properties()
    assert ApiBook().dynamic_properties() == []
    assert db.class_for_kind("ApiBook") is ApiBook
    with pytest.raises(db.KindError, match="No implementation for kind 'Nope'"):
        db.class_for_kind("Nope")


def test_an_overridden_kind_is_the_stored_kind(raw):
    key = KindOverride(value=1).put()
    assert key.kind() == "LegacyKindName"
    assert raw.count("LegacyKindName") == 1
    assert isinstance(KindOverride.get(key), KindOverride)
    assert isinstance(db.get(key), KindOverride)


# -- class getters ---------------------------------------------------------------------------


def test_model_get_one_list_and_string(raw):
    keys = [ApiBook(title=str(n)).put() for n in range(3)]
    missing = db.Key.from_path("ApiBook", 999999)

    assert ApiBook.get(keys[0]).title == "0"
    assert ApiBook.get(str(keys[1])).title == "1"
    assert [b and b.title for b in ApiBook.get([keys[2], missing, keys[0]])] == ["2", None, "0"]
    assert ApiBook.get(missing) is None


def test_model_get_of_another_kind_raises_kind_error(raw):
    key = ApiAuthor(name="a").put()
    with pytest.raises(db.KindError, match="Kind 'ApiAuthor' is not a subclass of kind 'ApiBook'"):
        ApiBook.get(key)


def test_get_by_key_name_one_list_and_with_parent(raw):
    author = ApiAuthor(key_name="a")
    author.put()
    ApiBook(key_name="root", title="r").put()
    ApiBook(parent=author, key_name="child", title="c").put()

    assert ApiBook.get_by_key_name("root").title == "r"
    assert ApiBook.get_by_key_name("child") is None
    assert ApiBook.get_by_key_name("child", parent=author).title == "c"
    assert ApiBook.get_by_key_name("child", parent=author.key()).title == "c"
    assert ApiBook.get_by_key_name("child", parent=str(author.key())).title == "c"
    assert [b and b.title for b in ApiBook.get_by_key_name(["root", "nope"])] == ["r", None]
    with pytest.raises(db.BadArgumentError):
        ApiBook.get_by_key_name(5)


def test_get_by_id_one_list_and_with_parent(raw):
    plain = ApiBook(title="p").put()
    author_key = ApiAuthor(key_name="a").put()
    child = ApiBook(parent=author_key, title="c").put()

    assert ApiBook.get_by_id(plain.id()).title == "p"
    assert ApiBook.get_by_id(child.id()) is None or ApiBook.get_by_id(child.id()).key() != child
    assert ApiBook.get_by_id(child.id(), parent=author_key).title == "c"
    assert [b and b.title for b in ApiBook.get_by_id([plain.id(), 999999])] == ["p", None]
    with pytest.raises(db.BadArgumentError):
        ApiBook.get_by_id("1")
    with pytest.raises(db.BadArgumentError):
        ApiBook.get_by_id(True)


def test_get_or_insert_creates_once_and_then_returns_the_stored_entity(raw):
    created = ApiBook.get_or_insert("k", title="first", pages=1)
    assert created.is_saved() and created.title == "first"
    again = ApiBook.get_or_insert("k", title="second", pages=2)
    assert (again.title, again.pages) == ("first", 1)
    assert raw.count("ApiBook") == 1

    author = ApiAuthor(key_name="p")
    author.put()
    child = ApiBook.get_or_insert("k", parent=author, title="child")
    assert child.key().parent() == author.key()
    assert raw.count("ApiBook") == 2


def test_get_or_insert_validates_before_writing(raw):
    with pytest.raises(db.BadValueError):
        ApiBook.get_or_insert("bad", pages="many")
    assert raw.count("ApiBook") == 0


def test_concurrent_get_or_insert_callers_get_one_entity(raw):
    results, errors = [], []
    start = threading.Barrier(4)

    def call(index):
        start.wait()
        try:
            results.append(ApiBook.get_or_insert("shared", title="by %d" % index))
        except Exception as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert raw.count("ApiBook") == 1
    stored_title = raw.entity(db.Key.from_path("ApiBook", "shared"))["title"]
    assert {book.title for book in results} == {stored_title}


# -- to_dict and ComputedProperty ------------------------------------------------------------


def test_to_dict_gives_stored_values_by_stored_name_without_the_key():
    class Shaped(db.Model):
        a = db.StringProperty(name="stored_a")
        tags = db.StringListProperty()
        when = db.DateProperty()

    import datetime

    instance = Shaped(key_name="x", stored_a="v", when=datetime.date(2020, 1, 2))
    assert db.to_dict(instance) == {"stored_a": "v", "when": datetime.datetime(2020, 1, 2)}
    target = {"extra": 1}
    assert db.to_dict(instance, target) is target and target["stored_a"] == "v" and target["extra"] == 1


class WithComputed(db.Model):
    first = db.StringProperty()
    last = db.StringProperty()

    @db.ComputedProperty
    def full(self):
        return "%s %s" % (self.first, self.last)

    initials = db.ComputedProperty(lambda self: (self.first or "?")[0] + (self.last or "?")[0], indexed=False)


def test_computed_property_is_stored_on_put_and_cannot_be_assigned(raw):
    instance = WithComputed(first="Ada", last="Lovelace")
    assert instance.full == "Ada Lovelace"
    with pytest.raises(db.DerivedPropertyError):
        instance.full = "x"
    with pytest.raises(db.DerivedPropertyError):
        WithComputed(full="x")
    key = instance.put()

    stored = raw.stored(key)
    assert stored["full"] == ("string", "Ada Lovelace", None, False)
    assert stored["initials"] == ("string", "AL", None, True)


def test_a_loaded_computed_value_is_recomputed_not_taken_from_storage(raw):
    key = WithComputed(first="Grace", last="Hopper").put()
    entity = raw.entity(key)
    entity["full"] = "stale value"
    raw.client.put(entity)

    loaded = WithComputed.get(key)
    assert loaded.full == "Grace Hopper"
    loaded.put()
    assert raw.stored(key)["full"].value == "Grace Hopper"
