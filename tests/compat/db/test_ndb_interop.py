"""A mixed code base: entities written by compat.db load in google-cloud-ndb and the other way round."""

import datetime

import pytest
from google.cloud import ndb
from google.cloud.ndb import polymodel as ndb_polymodel

from compat import db
from compat.db import polymodel


class InteropNote(db.Model):
    title = db.StringProperty()
    body = db.TextProperty()
    count = db.IntegerProperty()
    score = db.FloatProperty()
    flag = db.BooleanProperty()
    when = db.DateTimeProperty()
    day = db.DateProperty()
    tags = db.StringListProperty()
    email = db.EmailProperty()
    link = db.LinkProperty()
    place = db.GeoPtProperty()
    data = db.BlobProperty()
    short = db.ByteStringProperty()
    owner = db.UserProperty()
    rating = db.RatingProperty()
    parent_note = db.SelfReferenceProperty()


class NdbInteropNote(ndb.Model):
    title = ndb.StringProperty()
    body = ndb.TextProperty()
    count = ndb.IntegerProperty()
    score = ndb.FloatProperty()
    flag = ndb.BooleanProperty()
    when = ndb.DateTimeProperty()
    day = ndb.DateProperty()
    tags = ndb.StringProperty(repeated=True)
    email = ndb.StringProperty()
    link = ndb.StringProperty()
    place = ndb.GeoPtProperty()
    data = ndb.BlobProperty()
    short = ndb.BlobProperty(indexed=True)
    owner = ndb.UserProperty()
    rating = ndb.IntegerProperty()
    parent_note = ndb.KeyProperty(kind="InteropNote")

    @classmethod
    def _get_kind(cls):
        return "InteropNote"


WHEN = datetime.datetime(2010, 3, 15, 12, 30, 45, 123456)


def _compat_note(**extra):
    values = dict(
        title="hello", body="a long body " * 50, count=42, score=2.5, flag=True, when=WHEN,
        day=datetime.date(2010, 3, 15), tags=["a", "b"], email="alice@example.com",
        link="http://example.com/x", place=db.GeoPt(35.68, 139.76), data=b"\x00\x01binary",
        short=b"idx", owner=db.users.User("alice@example.com"), rating=88,
    )
    values.update(extra)
    return InteropNote(**values)


def test_ndb_reads_what_compat_wrote(datastore, ndb_client):
    target = _compat_note(title="target")
    target.put()
    note = _compat_note(parent_note=target)
    key = note.put()
    with ndb_client.context(cache_policy=False):
        loaded = key.to_ndb().get()
    assert isinstance(loaded, NdbInteropNote)
    assert loaded.title == "hello"
    assert loaded.body == "a long body " * 50
    assert (loaded.count, loaded.score, loaded.flag) == (42, 2.5, True)
    assert loaded.when == WHEN
    assert loaded.day == datetime.date(2010, 3, 15)
    assert loaded.tags == ["a", "b"]
    assert loaded.email == "alice@example.com" and loaded.link == "http://example.com/x"
    assert (loaded.place.latitude, loaded.place.longitude) == (35.68, 139.76)
    assert loaded.data == b"\x00\x01binary" and loaded.short == b"idx"
    assert loaded.owner.email() == "alice@example.com"
    assert loaded.rating == 88
    assert loaded.parent_note == target.key().to_ndb()


def test_compat_reads_what_ndb_wrote(datastore, ndb_client):
    with ndb_client.context(cache_policy=False):
        target = NdbInteropNote(title="target").put()
        key = NdbInteropNote(
            title="from ndb", body="text", count=7, score=1.25, flag=False, when=WHEN,
            day=datetime.date(2020, 1, 2), tags=["x"], email="bob@example.com",
            link="https://example.org", place=ndb.GeoPt(1.5, 2.5), data=b"blob", short=b"bs",
            owner=ndb.User("bob@example.com", "gmail.com"), rating=5, parent_note=target,
        ).put()
    note = InteropNote.get(db.Key.from_ndb(key))
    assert note.title == "from ndb"
    assert isinstance(note.body, db.Text) and note.body == "text"
    assert (note.count, note.score, note.flag) == (7, 1.25, False)
    assert note.when == WHEN and note.when.tzinfo is None
    assert note.day == datetime.date(2020, 1, 2)
    assert note.tags == ["x"]
    assert isinstance(note.email, db.Email) and note.email == "bob@example.com"
    assert isinstance(note.link, db.Link)
    assert note.place == db.GeoPt(1.5, 2.5)
    assert isinstance(note.data, db.Blob) and note.data == b"blob"
    assert isinstance(note.short, db.ByteString) and note.short == b"bs"
    assert note.owner == db.users.User("bob@example.com")
    assert isinstance(note.rating, db.Rating) and note.rating == 5
    assert note.parent_note.title == "target"
    # Writing it back through compat gives it legacy's meanings.
    note.put()


def test_ndb_compressed_text_is_readable(datastore, ndb_client):
    class Compressed(ndb.Model):
        body = ndb.TextProperty(compressed=True)

    class CompressedLegacy(db.Model):
        body = db.TextProperty(compressed=True)

        @classmethod
        def kind(cls):
            return "Compressed"

    with ndb_client.context(cache_policy=False):
        key = Compressed(body="日本語のテキスト " * 100).put()
    loaded = CompressedLegacy.get(db.Key.from_ndb(key))
    assert loaded.body == "日本語のテキスト " * 100
    loaded.put()
    with ndb_client.context(cache_policy=False):
        assert key.get().body == "日本語のテキスト " * 100

    class PlainLegacy(db.Model):
        body = db.TextProperty()

        @classmethod
        def kind(cls):
            return "Compressed"

    # Without the option compat still reads compressed values, and writes plain Text (meaning 15).
    plain = PlainLegacy.get(db.Key.from_ndb(key))
    assert plain.body == "日本語のテキスト " * 100


def test_expando_interop(datastore, ndb_client):
    class Bag(db.Expando):
        pass

    class NdbBag(ndb.Expando):
        @classmethod
        def _get_kind(cls):
            return "Bag"

    bag = Bag(colour="red", sizes=[1, 2], note=db.Text("long"))
    key = bag.put()
    with ndb_client.context(cache_policy=False):
        loaded = key.to_ndb().get()
        assert (loaded.colour, loaded.sizes, loaded.note) == ("red", [1, 2], "long")
        loaded.extra = "added by ndb"
        loaded.put()
    again = Bag.get(key)
    assert again.extra == "added by ndb" and again.colour == "red"


def test_polymodel_interop(datastore, ndb_client):
    class Animal(polymodel.PolyModel):
        name = db.StringProperty()

    class Cat(Animal):
        whiskers = db.IntegerProperty()

    class NdbAnimal(ndb_polymodel.PolyModel):
        name = ndb.StringProperty()

        @classmethod
        def _class_name(cls):
            return "Animal"

        @classmethod
        def _get_kind(cls):
            return "Animal"

    class NdbCat(NdbAnimal):
        whiskers = ndb.IntegerProperty()

        @classmethod
        def _class_name(cls):
            return "Cat"

    key = Cat(name="tama", whiskers=12).put()
    with ndb_client.context(cache_policy=False):
        loaded = key.to_ndb().get()
        assert isinstance(loaded, NdbCat) and loaded.whiskers == 12
        ndb_key = NdbCat(name="mike", whiskers=8).put()
    cat = Animal.get(db.Key.from_ndb(ndb_key))
    assert isinstance(cat, Cat) and cat.name == "mike" and cat.whiskers == 8


def test_compat_joins_an_ndb_transaction(datastore, ndb_client):
    with ndb_client.context(cache_policy=False):
        def work():
            InteropNote(key_name="in-txn", title="compat").put()
            NdbInteropNote(id="ndb-in-txn", title="ndb").put()
            assert db.is_in_transaction()

        ndb.transaction(work)

        def failing():
            InteropNote(key_name="rolled-back", title="x").put()
            raise ValueError("abort")

        with pytest.raises(ValueError):
            ndb.transaction(failing)
    assert InteropNote.get_by_key_name("in-txn").title == "compat"
    assert InteropNote.get_by_key_name("ndb-in-txn").title == "ndb"
    assert InteropNote.get_by_key_name("rolled-back") is None


def test_ndb_code_joins_a_compat_transaction(datastore, ndb_client):
    """Inside db.run_in_transaction, ndb writes, deletes and call_on_commit share compat's one commit."""
    with ndb_client.context(cache_policy=False):
        NdbInteropNote(id="doomed", title="old").put()
        committed = []

        def work():
            InteropNote(key_name="compat-side", title="compat").put()
            NdbInteropNote(id="ndb-side", title="ndb").put()
            ndb.Key("InteropNote", "doomed").delete()
            new = NdbInteropNote(title="allocated")
            new.put()
            assert new.key.id() is not None  # ids are allocated before the commit, as ndb does
            ndb.get_context().call_on_commit(lambda: committed.append(new.key.id()))
            assert committed == []
            return new.key.id()

        new_id = db.run_in_transaction(work)
        assert committed == [new_id]

        def failing():
            InteropNote(key_name="rolled-back", title="x").put()
            NdbInteropNote(id="rolled-back-ndb", title="y").put()
            ndb.get_context().call_on_commit(lambda: committed.append("never"))
            raise ValueError("abort")

        with pytest.raises(ValueError):
            db.run_in_transaction(failing)
        assert committed == [new_id]
    assert InteropNote.get_by_key_name("compat-side").title == "compat"
    assert InteropNote.get_by_key_name("ndb-side").title == "ndb"
    assert InteropNote.get_by_key_name("doomed") is None
    assert InteropNote.get_by_id(new_id).title == "allocated"
    assert InteropNote.get_by_key_name("rolled-back") is None
    assert InteropNote.get_by_key_name("rolled-back-ndb") is None


def test_compat_writes_invalidate_the_ndb_context_cache(datastore, ndb_client):
    with ndb_client.context():  # ndb's default: in-context cache on
        key = NdbInteropNote(id="cached", title="old").put()
        assert key.get().title == "old"  # now cached
        note = InteropNote.get_by_key_name("cached")
        note.title = "new"
        note.put()
        assert key.get().title == "new"
        db.delete(note)
        assert key.get() is None


def test_compat_uses_the_callers_ndb_context(datastore, ndb_client):
    from compat import _context

    with ndb_client.context() as context:
        with _context.ensure() as used:
            assert used is context
        InteropNote(key_name="inside", title="t").put()
    with _context.ensure() as implicit:
        assert implicit is not context
    assert InteropNote.get_by_key_name("inside").title == "t"


def test_urlsafe_strings_are_identical(datastore, ndb_client):
    key = _compat_note().put()
    with ndb_client.context():
        ndb_key = key.to_ndb()
        assert ndb_key.to_legacy_urlsafe("s~").decode() == str(key)
        assert ndb.Key(urlsafe=str(key)) == ndb_key
        assert db.Key(ndb_key.urlsafe()) == key
