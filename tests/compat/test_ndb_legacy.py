"""compat.ndb_legacy: the legacy behaviours db2ndb's ndb output relies on, against the emulator.

Each expectation was observed on the legacy SDK (appengine-python-standard
with testbed): the validation errors and their messages, what a read gives
back, and the stored form (meanings, absent empty lists) of docs/storage.md.
"""

import datetime
import zoneinfo

import pytest
import pytz
from google.cloud import ndb
from google.cloud.ndb import exceptions

from compat import ndb_legacy

JST = pytz.timezone("Asia/Tokyo")


class Everything(ndb.Model):
    s = ndb_legacy.StringProperty()
    m = ndb_legacy.StringProperty(multiline=True)
    i = ndb_legacy.IntegerProperty()
    r = ndb_legacy.RatingProperty()
    em = ndb_legacy.EmailProperty()
    ln = ndb_legacy.LinkProperty()
    cat = ndb_legacy.CategoryProperty()
    ph = ndb_legacy.PhoneNumberProperty()
    pa = ndb_legacy.PostalAddressProperty()
    im = ndb_legacy.IMProperty()
    txt = ndb_legacy.TextProperty()
    d = ndb_legacy.DateProperty()
    dt = ndb_legacy.DateTimeProperty()
    g = ndb_legacy.GeoPtProperty()
    tags = ndb_legacy.StringListProperty(default=["a", "b"])
    nums = ndb_legacy.ListProperty(int, required=True)
    whens = ndb_legacy.ListProperty(datetime.datetime)
    mails = ndb_legacy.ListProperty(ndb_legacy.EmailProperty)


class Stamped(ndb.Model):
    created = ndb_legacy.DateTimeProperty(auto_now_add=True)
    updated = ndb_legacy.DateTimeProperty(auto_now=True)
    other = ndb_legacy.DateTimeProperty()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("s", "a\nb", "Property s is not multi-line"),
        ("i", 2 ** 63, "Property i must fit in 64 bits"),
        ("i", True, "Property i must be an int or long, not a bool"),
        ("r", 101, "Rating must be between 0 and 100"),
        ("r", -1, "Rating must be between 0 and 100"),
        ("em", 5, "email should be a string; received 5 (a int):"),
        ("em", "", "email must not be empty."),
        ("ln", "notaurl", "Invalid URL: notaurl"),
        ("ln", 5, "link should be a string"),
        ("cat", 5, "tag should be a string"),
        ("ph", 5, "phone should be a string"),
        ("pa", 5, "address should be a string"),
        ("im", "nonsense", 'Expected string of format "protocol address"'),
        ("d", datetime.datetime(2020, 1, 1, 5), "Property d must be a date, not a datetime"),
        ("g", "x,y", "Expected floats for lat and long"),  # the legacy SDK's message
        ("g", "1", 'Expected a "lat,long" formatted string'),
    ],
)
def test_legacy_validation_refuses_what_legacy_refused(field, value, message):
    with pytest.raises(exceptions.BadValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Everything(**{field: value})


def test_values_legacy_accepted_are_accepted():
    e = Everything(m="a\nb", i=-(2 ** 63), r=100, im="xmpp a@b.c", ln="http://a.b/c", g="1.5,2",
                   tags=["x\ny"], dt=JST.localize(datetime.datetime(2020, 1, 1, 9)))
    assert (e.m, e.i, e.r, e.tags) == ("a\nb", -(2 ** 63), 100, ["x\ny"])
    assert e.g == ndb.GeoPt(1.5, 2.0)


def test_list_defaults_are_copied_per_entity_and_required_lists_accept_empty():
    a, b = Everything(nums=[]), Everything(nums=[1])
    a.tags.append("z")
    assert (a.tags, b.tags, a.nums) == (["a", "b", "z"], ["a", "b"], [])


def test_auto_now_values_exist_before_the_first_put():
    e = Stamped()
    assert isinstance(e.created, datetime.datetime) and isinstance(e.updated, datetime.datetime)
    assert e.other is None


def test_stored_like_legacy(ndb_client, clean_datastore, raw_client):
    with ndb_client.context(cache_policy=lambda key: False):
        key = Everything(s="x", r=50, em="a@b.c", ln="http://a.b/", cat="c", ph="1", pa="p", im="xmpp a@b.c",
                         txt="long", tags=[], nums=[], mails=["m@b.c", "n@b.c"],
                         dt=datetime.datetime(2020, 1, 1, 9, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
                         whens=[JST.localize(datetime.datetime(2020, 1, 1, 9))]).put()
        raw = raw_client.get(raw_client.key("Everything", key.id()))
        loaded = key.get()
    # an empty list is not written at all (legacy); ndb would write []
    assert "tags" not in raw and "nums" not in raw
    meanings = {name: meaning for name, (meaning, _) in raw._meanings.items()}
    assert meanings == {"r": 13, "em": 8, "ln": 2, "cat": 1, "ph": 11, "pa": 12, "im": 10, "txt": 15,
                        "mails": (None, [8, 8])}  # the array has none, each item its own
    assert "txt" in raw.exclude_from_indexes and "s" not in raw.exclude_from_indexes
    # aware values of any zone: stored as UTC, read back naive UTC
    assert loaded.dt == datetime.datetime(2020, 1, 1, 14, 0)
    assert loaded.whens == [datetime.datetime(2020, 1, 1, 0, 0)]
    # a loaded entity without the stored list gets the default, as legacy's constructor gave it
    assert loaded.tags == ["a", "b"] and loaded.nums == []
    assert (loaded.em, loaded.r, loaded.mails) == ("a@b.c", 50, ["m@b.c", "n@b.c"])


def test_transaction_rollback_returns_none(ndb_client, clean_datastore):
    class Counter(ndb.Model):
        n = ndb.IntegerProperty(default=0)

    with ndb_client.context(cache_policy=lambda key: False):
        key = Counter(id="c").put()

        def bump():
            c = key.get()
            c.n = 5
            c.put()
            raise ndb.Rollback()

        assert ndb_legacy.transaction(bump) is None
        assert key.get().n == 0
        assert ndb_legacy.transaction(lambda: 7, retries=0) == 7


def test_key_order_is_legacy_order(ndb_client):
    with ndb_client.context():
        keys = [ndb.Key("B", 1), ndb.Key("A", "x"), ndb.Key("A", 1, "C", 1), ndb.Key("A", 2), ndb.Key("A", 1)]
        ordered = sorted(keys, key=ndb_legacy.key_order)
    assert [k.flat() for k in ordered] == [("A", 1), ("A", 1, "C", 1), ("A", 2), ("A", "x"), ("B", 1)]


def test_not_equal_matches_list_properties_like_legacy(ndb_client, clean_datastore):
    class Tagged(ndb.Model):
        tags = ndb.StringProperty(repeated=True)
        n = ndb.IntegerProperty()

    with ndb_client.context(cache_policy=lambda key: False):
        for i in range(5):
            Tagged(tags=["a", "t%d" % i], n=i).put()
        # legacy: every entity has a tag other than 't1'; n != 2 leaves the others
        assert sorted(t.n for t in Tagged.query(ndb_legacy.not_equal(Tagged.tags, "t1"))) == [0, 1, 2, 3, 4]
        assert sorted(t.n for t in Tagged.query(ndb_legacy.not_equal(Tagged.n, 2))) == [0, 1, 3, 4]


def test_nested_transaction_raises_bad_request_like_legacy(ndb_client, clean_datastore):
    with ndb_client.context(cache_policy=lambda key: False):
        with pytest.raises(exceptions.BadRequestError, match="Nested transactions are not supported"):
            ndb_legacy.transaction(lambda: ndb_legacy.run_in_transaction(lambda: 1))
        assert ndb_legacy.run_in_transaction_custom_retries(1, lambda a, b=0: a + b, 2, b=3) == 5
        assert ndb_legacy.run_in_transaction_options(dict(xg=True), lambda a, b=0: a + b, 2, b=3) == 5
        assert ndb_legacy.run_in_transaction_options(None, lambda: ndb.in_transaction()) is True



class HelperJob(ndb.Model):
    done = ndb.BooleanProperty()


def test_a_request_refused_inside_a_transaction_raises_at_once(ndb_client, clean_datastore):
    """db raised BadRequestError for a non-ancestor query in a transaction; ndb retried it into a RetryError."""
    from google.api_core import exceptions as core_exceptions

    with ndb_client.context(cache_policy=lambda key: False):
        HelperJob(id="a", done=False).put()
        with pytest.raises(core_exceptions.InvalidArgument, match="Only ancestor queries"):
            ndb_legacy.transaction(lambda: HelperJob.query(HelperJob.done == False).fetch())  # noqa: E712
        assert ndb_legacy.transaction(lambda: HelperJob.get_by_id("a").done, retries=1) is False


class HelperTally(ndb.Model):
    n = ndb.IntegerProperty(default=0)


def test_get_or_insert_refuses_a_transaction_as_db_did(ndb_client, clean_datastore):
    """db's get_or_insert ran its own transaction: inside another it raised and wrote nothing."""
    with ndb_client.context(cache_policy=lambda key: False):
        with pytest.raises(exceptions.BadRequestError, match="Nested transactions are not supported"):
            ndb_legacy.transaction(lambda: ndb_legacy.get_or_insert(HelperTally, "x", n=2))
        assert HelperTally.get_by_id("x") is None
        assert ndb_legacy.get_or_insert(HelperTally, "x", n=2).n == 2
        assert ndb_legacy.get_or_insert(HelperTally, "x", n=5).n == 2

def test_batch_functions_dispatch_like_db(ndb_client, clean_datastore):
    class Box(ndb.Model):
        n = ndb.IntegerProperty()

    class Other(ndb.Model):
        pass

    with ndb_client.context(cache_policy=lambda key: False):
        one = Box(n=1)
        key = ndb_legacy.put(one)
        keys = ndb_legacy.put([Box(n=2), Box(n=3)])
        assert ndb_legacy.get(key).n == 1
        assert [b.n for b in ndb_legacy.get([key.urlsafe().decode(), one] + keys)] == [1, 1, 2, 3]
        with pytest.raises(ndb.KindError):
            ndb_legacy.get(ndb.Key("Other", 1), model=Box)
        ndb_legacy.delete([keys[0], Box.get_by_id(keys[1].id())])
        ndb_legacy.delete(one)
        assert ndb_legacy.get([key] + keys) == [None, None, None]
        with pytest.raises(ndb_legacy.NotSavedError):
            ndb_legacy.delete(Box(n=9))  # never put: db raised NotSavedError too


class HelperDangling(ndb.Model):
    owner = ndb.KeyProperty()


def test_resolve_reads_a_reference_as_legacy_did(ndb_context, clean_datastore):
    """The entity, None for an unset reference, ReferencePropertyResolveError once the entity is gone."""
    target = HelperDangling(id="t")
    target.put()
    assert ndb_legacy.resolve(None) is None
    assert ndb_legacy.resolve(target.key).key == target.key
    target.key.delete()
    with pytest.raises(ndb_legacy.ReferencePropertyResolveError):
        ndb_legacy.resolve(target.key)


class HelperUnindexed(ndb.Model):
    body = ndb_legacy.StringProperty(indexed=False, multiline=True)
    slug = ndb_legacy.StringProperty()
    text = ndb_legacy.TextProperty()


def test_strings_as_legacy_stored_them(ndb_context, clean_datastore):
    """indexed=False strings (ndb's refuse it), db.Text values with meaning 15 also after a re-put, None Text indexed."""
    from google.cloud.ndb import model

    e = HelperUnindexed(id="u", body=ndb_legacy.Text("line\nline"), slug="s")
    ds = model._entity_to_ds_entity(e)
    assert "body" in ds.exclude_from_indexes and ds._meanings["body"][0] == 15
    assert "text" not in ds.exclude_from_indexes  # None: an indexed null, as legacy stored it
    e.put()
    back = HelperUnindexed.get_by_id("u")
    assert isinstance(back.body, ndb_legacy.Text)
    assert model._entity_to_ds_entity(back)._meanings["body"][0] == 15
    with pytest.raises(exceptions.BadValueError, match="must be a str or unicode instance, not a bytes"):
        HelperUnindexed(slug=b"abc")
    assert len(HelperUnindexed(slug="\u00e9" * 1500).slug) == 1500  # 1500 characters (legacy counted characters)
    with pytest.raises(exceptions.BadValueError, match="1501 bytes long"):
        HelperUnindexed(slug="a" * 1501)


class HelperVote(ndb.Model):
    voter = ndb.UserProperty()


def test_user_takes_the_auth_domain_from_the_environment(ndb_context, clean_datastore, monkeypatch):
    monkeypatch.delenv("AUTH_DOMAIN", raising=False)
    a = ndb_legacy.User("a@example.com")
    assert a.auth_domain() == "gmail.com" and a.email() == "a@example.com" and a.nickname() == "a@example.com"
    HelperVote(id="v", voter=a).put()
    assert HelperVote.get_by_id("v").voter == ndb_legacy.User("a@example.com")
    monkeypatch.setenv("AUTH_DOMAIN", "example.com")
    assert ndb_legacy.User("b@example.com").nickname() == "b"


class HelperChecked(ndb.Model):
    sku = ndb_legacy.StringProperty(required=True)
    when = ndb_legacy.DateTimeProperty()
    qty = ndb_legacy.IntegerProperty(required=True, default=1)
    cells = ndb_legacy.ListProperty(int)
    names = ndb_legacy.StringListProperty()


def test_assignment_rules_of_legacy(ndb_context, clean_datastore):
    """Empty values of required properties refused on assignment; other empty values unchecked; list items."""
    c = HelperChecked(sku="A1")
    for bad in (None, ""):
        with pytest.raises(exceptions.BadValueError, match="Property sku is required"):
            c.sku = bad
    assert c.sku == "A1"
    assert HelperChecked(sku="x", when=0).when == 0  # legacy skipped the type check of an empty value
    assert HelperChecked(sku="x", qty=0).qty == 0  # 0 is a value of an IntegerProperty
    with pytest.raises(exceptions.BadValueError, match="must be a list"):
        HelperChecked(sku="x", cells=(1, 2))
    with pytest.raises(exceptions.BadValueError, match="must all be integers"):
        HelperChecked(sku="x", cells=[1, None])
    with pytest.raises(exceptions.BadValueError, match="must all be str instances"):
        HelperChecked(sku="x", names=[b"x"])
    assert HelperChecked(sku="x", cells=[True]).cells == [True]
    with pytest.raises(OverflowError, match="out of bounds for int64"):
        HelperChecked(sku="x", cells=[2 ** 64]).put()


class HelperPerson(ndb.Model):
    name = ndb_legacy.StringProperty()
    born = ndb_legacy.DateProperty()
    tags = ndb_legacy.StringListProperty()
    boss = ndb.KeyProperty()


def test_to_dict_gives_the_stored_values(ndb_context, clean_datastore):
    """db.to_dict: a date as its datetime, empty lists left out, keys as keys."""
    p = HelperPerson(name="Ann", born=datetime.date(1983, 2, 1), boss=ndb.Key("HelperPerson", "b"))
    assert ndb_legacy.to_dict(p) == {"name": "Ann", "born": datetime.datetime(1983, 2, 1),
                                     "boss": ndb.Key("HelperPerson", "b")}
    assert ndb_legacy.to_dict(HelperPerson(name="Bob")) == {"name": "Bob", "born": None, "boss": None}


@pytest.mark.parametrize("name", ["key_name", "kind", "parent", "put"])
def test_reserved_property_names_fail_when_the_class_is_defined(name):
    with pytest.raises(ndb_legacy.ReservedWordError):
        type("Reserved", (ndb.Model,), {name: ndb_legacy.StringProperty()})
    with pytest.raises(ndb_legacy.ReservedWordError):
        type("ReservedList", (ndb.Model,), {name: ndb_legacy.ListProperty(int)})
    # the stored name may be anything: legacy's own advice
    assert type("Fine", (ndb.Model,), {name + "_": ndb_legacy.StringProperty(name)})


class HelperRecord(ndb_legacy.Expando):
    title = ndb.StringProperty()


def test_expando_reads_null_dynamic_values_back(ndb_client, clean_datastore):
    """db read a dynamic attribute stored as null back as None; ndb skips nulls when it loads an Expando."""
    with ndb_client.context(cache_policy=lambda key: False):
        record = HelperRecord(id="r", title="t")
        record.nothing, record.empty, record.n, record.items = None, [], 5, [1, "a"]
        record.when, record.ref = datetime.datetime(2020, 1, 2), ndb.Key("A", 1)
        record.put()
        back = HelperRecord.get_by_id("r")
        assert sorted(ndb_legacy.dynamic_properties(back)) == ["empty", "items", "n", "nothing", "ref", "when"]
        assert (back.nothing, back.empty, back.n, back.items) == (None, [], 5, [1, "a"])
        assert (back.when, back.ref, back.title) == (datetime.datetime(2020, 1, 2), ndb.Key("A", 1), "t")
        assert HelperRecord.query(HelperRecord.title == "t").get().nothing is None
        back.put()
        assert HelperRecord.get_by_id("r").nothing is None  # stored as null again
        assert not hasattr(HelperRecord, "nothing") and "nothing" not in HelperRecord._properties



def test_cursor_of_an_in_or_not_equal_query_raises_like_legacy(ndb_context, clean_datastore):
    # q012 (legacy SDK): q.cursor() of an IN / != query raised AssertionError (a MultiQuery has no cursor)
    class Ad(ndb.Model):
        city = ndb.StringProperty()

    Ad(city="rome").put()
    for query in (Ad.query(Ad.city.IN(["rome", "oslo"])), Ad.query(ndb_legacy.not_equal(Ad.city, "rome"))):
        query.fetch(1)
        with pytest.raises(AssertionError, match="MultiQuery"):
            ndb_legacy.cursor_after(query)
    with pytest.raises(AssertionError):
        ndb_legacy.cursor_after(Ad.query(Ad.city == "rome"))  # a query object has no cursor of its own


def test_websafe_cursor_formats_as_text_like_python2_str():
    """Converted `q.cursor()`: bytes as the py3 SDK gave, but '/?cursor=%s' % c gives the text (Python 2's str)."""
    from google.cloud import ndb as _ndb

    from compat import ndb_legacy as _legacy

    assert _legacy.websafe_cursor(None) is None
    page_cursor = _ndb.Cursor(cursor=b"\x01\x02page")
    c = _legacy.websafe_cursor(page_cursor)
    assert isinstance(c, bytes) and bytes(c) == page_cursor.urlsafe()
    assert "/?cursor=%s" % c == "/?cursor=" + page_cursor.urlsafe().decode("ascii")
    assert "{}".format(c) == str(c) == page_cursor.urlsafe().decode("ascii")
    assert _ndb.Cursor(urlsafe=c) == page_cursor


@pytest.mark.parametrize(
    "name, args",
    [
        ("GeoPt", ("x,y",)), ("GeoPt", ("1",)), ("GeoPt", (95, 1)), ("GeoPt", ("1.5,2",)),
        ("IM", ("nonsense",)), ("IM", ("foo.com bar",)), ("IM", ("http://x.com bar",)), ("IM", ("xmpp", "")),
        ("Rating", (True,)), ("Rating", ("5",)), ("Rating", (5.0,)), ("Rating", (101,)),
        ("Link", ("example.com",)), ("Link", ("file:///tmp/x",)), ("Link", ("http://" + "x" * 2100,)),
        ("Email", ("",)), ("Email", (5,)), ("Category", ("x" * 1501,)), ("PhoneNumber", ("555",)),
    ],
)
def test_value_types_check_as_the_shims_do(name, args):
    """ndb_legacy's value types and the shim's (checked against the legacy SDK) share one set of checks."""
    from compat.db import types as shim_types
    from compat.db.errors import BadValueError as ShimBadValueError

    def outcome(factory, error):
        try:
            value = factory(*args)
        except error as refused:
            return "refused", str(refused)
        return "made", str(value)

    assert outcome(getattr(ndb_legacy, name), exceptions.BadValueError) == outcome(
        getattr(shim_types, name), ShimBadValueError)
