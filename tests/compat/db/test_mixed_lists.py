"""Lists whose items disagree on the index flag, as legacy wrote them (Text/Blob items unindexed).

google-cloud-datastore cannot decode such entities by itself; compat reads
them, keeps every item's flag, and writes the same layout back.
"""

from google.cloud.datastore_v1.types import entity as entity_pb2

from compat import db


class Scrapbook(db.Expando):
    pass


class Tagged(db.Model):
    tags = db.StringListProperty()


def _legacy_mixed_entity(project, name):
    """What legacy db stored for Scrapbook(notes=["short", db.Text("long ...")], ...)."""
    pb = entity_pb2.Entity()
    path = pb._pb.key.path.add()
    path.kind, path.name = "Scrapbook", name
    pb._pb.key.partition_id.project_id = project
    notes = pb._pb.properties["notes"].array_value.values
    first = notes.add()
    first.string_value = "short"
    second = notes.add()
    second.string_value = "long text " * 200
    second.meaning = 15
    second.exclude_from_indexes = True
    pb._pb.properties["title"].string_value = "kept"
    return pb


def _flags(raw, key, name):
    return [(value.type, value.meaning, value.excluded) for value in raw.stored(key)[name].value]


def test_legacy_mixed_list_loads_and_round_trips(raw, datastore_emulator):
    raw.put_pb(_legacy_mixed_entity(datastore_emulator.project, "legacy"))
    key = db.Key.from_path("Scrapbook", "legacy")
    before = raw.pb(key)
    book = Scrapbook.get(key)
    assert book.notes[0] == "short" and not isinstance(book.notes[0], db.Text)
    assert isinstance(book.notes[1], db.Text)
    book.title = "changed"
    book.put()
    after = raw.pb(key)
    assert after.properties["notes"] == before.properties["notes"]
    assert _flags(raw, key, "notes") == [("string", None, False), ("string", 15, True)]
    found = Scrapbook.all().filter("notes =", "short").fetch(5)
    assert [b.key() for b in found] == [key]


def test_compat_writes_mixed_lists_as_legacy_did(raw):
    key = Tagged(key_name="t", tags=["indexed", db.Text("unindexed " * 300)]).put()
    assert _flags(raw, key, "tags") == [("string", None, False), ("string", 15, True)]
    assert [t.key() for t in Tagged.all().filter("tags =", "indexed").fetch(5)] == [key]
    loaded = Tagged.get(key)
    assert isinstance(loaded.tags[1], db.Text)
    loaded.put()
    assert _flags(raw, key, "tags") == [("string", None, False), ("string", 15, True)]


def test_mixed_list_in_a_transaction_and_expando_change(raw):
    def txn():
        Scrapbook(key_name="txn", notes=["a", db.Blob(b"\x00\x01"), 3]).put()

    db.run_in_transaction(txn)
    key = db.Key.from_path("Scrapbook", "txn")
    # Datastore keeps a list's indexed items before its unindexed ones (it did for legacy too).
    assert _flags(raw, key, "notes") == [("string", None, False), ("integer", None, False), ("blob", None, True)]
    book = Scrapbook.get(key)
    assert book.notes == ["a", 3, b"\x00\x01"] and isinstance(book.notes[2], db.Blob)
    book.notes = ["only indexed now"]
    book.put()
    assert _flags(raw, key, "notes") == [("string", None, False)]
    assert "notes" not in raw.entity(key).exclude_from_indexes
