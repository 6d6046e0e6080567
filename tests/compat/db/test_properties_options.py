"""Property options as legacy ``db`` had them: required, default, choices, validator, indexed,
verbose_name (the first positional argument) and name; and unknown constructor keywords.

Validation happens on assignment and in the constructor, before any RPC:
tests that put check with the RPC-counting proxy that no Commit was sent and
with the raw reader that nothing was stored.
"""

import pytest
from google.cloud.datastore import Entity

from compat import configure, db


class Options(db.Model):
    name = db.StringProperty(required=True)
    count = db.IntegerProperty(required=True, default=0)
    flag = db.BooleanProperty(required=True, default=False)
    color = db.StringProperty(choices=["red", "green"])
    size = db.IntegerProperty(choices=(1, 2, 3), default=2)


def test_required_raises_in_the_constructor():
    with pytest.raises(db.BadValueError, match="Property name is required"):
        Options()


def test_required_refuses_empty_values_but_not_zero_or_false():
    with pytest.raises(db.BadValueError, match="Property name is required"):
        Options(name="")
    instance = Options(name="n", count=0, flag=False)
    assert (instance.count, instance.flag) == (0, False)
    with pytest.raises(db.BadValueError, match="Property count is required"):
        instance.count = None
    assert instance.count == 0


def test_a_stored_entity_missing_a_required_property_fails_to_load(raw):
    """Legacy built the instance through the constructor, so a missing required value raised on get."""
    raw.put(Entity(key=raw.client.key("Options", "incomplete")))
    with pytest.raises(db.BadValueError, match="Property name is required"):
        Options.get_by_key_name("incomplete")


def test_default_is_used_when_no_value_is_given(raw):
    instance = Options(name="n")
    assert (instance.count, instance.flag, instance.size, instance.color) == (0, False, 2, None)
    key = instance.put()
    stored = raw.stored(key)
    assert stored["count"] == ("integer", 0, None, False)
    assert stored["color"] == ("null", None, None, False)


def test_an_invalid_default_fails_in_the_constructor():
    model = type("BadDefault", (db.Model,), {"n": db.IntegerProperty(default="seven")})
    with pytest.raises(db.BadValueError, match="n must be an int"):
        model()


def test_choices_refuse_other_values_and_allow_none():
    with pytest.raises(db.BadValueError, match=r"Property color is 'blue'; must be one of \['red', 'green'\]"):
        Options(name="n", color="blue")
    with pytest.raises(db.BadValueError, match="Property size is 4"):
        Options(name="n", size=4)
    assert Options(name="n", color=None).color is None
    instance = Options(name="n", color="red")
    with pytest.raises(db.BadValueError):
        instance.color = "RED"
    assert instance.color == "red"


def test_choices_on_a_coercing_property_compare_the_value_before_coercion():
    model = type("ChoiceEmail", (db.Model,), {"e": db.EmailProperty(choices=["a@b.c"])})
    assert isinstance(model(e="a@b.c").e, db.Email)


class _Rejected(Exception):
    pass


def _no_spaces(value):
    """A legacy-style validator: f(value) raises to reject, its return value is ignored."""
    if value is not None and " " in value:
        raise _Rejected("no spaces: %r" % value)
    return "ignored"


class Validated(db.Model):
    slug = db.StringProperty(validator=_no_spaces)
    seen = db.IntegerProperty(validator=lambda value: Validated.calls.append(value))
    tags = db.StringListProperty(validator=lambda values: _no_spaces(" ".join(values) if len(values) > 2 else None))
    calls = []


def test_validator_raising_rejects_the_value_with_its_own_exception():
    with pytest.raises(_Rejected, match="no spaces"):
        Validated(slug="a b")
    instance = Validated(slug="ab")
    assert instance.slug == "ab"  # the validator's return value does not replace the value
    with pytest.raises(_Rejected):
        instance.slug = "c d"
    assert instance.slug == "ab"


def test_validator_is_called_with_none_when_no_value_is_given():
    Validated.calls.clear()
    Validated()
    assert Validated.calls == [None]


def test_list_validator_runs_again_at_put_before_any_rpc(raw, counted):
    instance = Validated(tags=["a", "b"])
    instance.tags.extend(["c"])  # mutated in place: only put() sees it
    with pytest.raises(_Rejected):
        instance.put()
    assert counted.calls["Commit"] == 0
    assert raw.count("Validated") == 0


def test_indexed_false_excludes_the_property_and_text_blob_refuse_indexed_true(raw):
    model = type("IndexOptions", (db.Model,), {"a": db.IntegerProperty(indexed=False), "b": db.IntegerProperty()})
    key = model(a=1, b=2).put()
    entity = raw.entity(key)
    assert entity.exclude_from_indexes == {"a"}
    with pytest.raises(db.ConfigurationError, match="indexed must be False"):
        db.TextProperty(indexed=True)
    with pytest.raises(db.ConfigurationError):
        db.BlobProperty(indexed=True)
    assert db.TextProperty().indexed is True  # legacy quirk: the type, not the flag, unindexes Text


def test_verbose_name_is_the_first_positional_argument(raw):
    model = type("Verbose", (db.Model,), {"title": db.StringProperty("Title of the post"),
                                          "when": db.DateTimeProperty("Posted at", auto_now_add=True),
                                          "tags": db.StringListProperty("Tags")})
    assert model.title.verbose_name == "Title of the post"
    assert model.title.name == "title"
    assert model.when.verbose_name == "Posted at"
    assert model.tags.verbose_name == "Tags"
    key = model(title="t").put()
    assert set(raw.stored(key)) == {"title", "when"}


def test_unknown_constructor_keyword_warns_in_strict_mode_before_any_rpc(raw, counted):
    import warnings

    from compat import CompatWarning

    configure(strict=True)
    with pytest.warns(CompatWarning, match="Options has no property 'nmae'"):
        Options(nmae="typo", name="n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CompatWarning)  # how a user turns strict mode into errors
        with pytest.raises(CompatWarning):
            Options(nmae="typo", name="n")
    assert sum(counted.calls.values()) == 0


def test_unknown_constructor_keyword_is_ignored_as_in_legacy(raw):
    instance = Options(name="n", nmae="typo")
    key = instance.put()
    assert "nmae" not in raw.stored(key)
    assert not hasattr(instance, "nmae")


def test_reserved_and_duplicate_property_names_are_refused():
    with pytest.raises(db.ReservedWordError):
        type("Reserved", (db.Model,), {"key_name": db.StringProperty()})
    with pytest.raises(db.ReservedWordError):
        type("Reserved2", (db.Model,), {"put": db.StringProperty()})
    with pytest.raises(db.ReservedWordError):
        type("Reserved3", (db.Model,), {"__x__": db.StringProperty()})
    base_a = type("BaseA", (db.Model,), {"x": db.StringProperty()})
    base_b = type("BaseB", (db.Model,), {"x": db.StringProperty()})
    with pytest.raises(db.DuplicatePropertyError):
        type("Both", (base_a, base_b), {})


def test_properties_are_inherited_and_a_reserved_word_can_be_the_stored_name(raw):
    base = type("Base", (db.Model,), {"a": db.StringProperty()})
    child = type("Child", (base,), {"put_": db.StringProperty(name="put")})
    instance = child(a="x", put="stored under a reserved word")
    key = instance.put()
    assert raw.stored(key) == {"a": ("string", "x", None, False),
                               "put": ("string", "stored under a reserved word", None, False)}
    assert sorted(child.properties()) == ["a", "put_"]
    assert child.get(key).put_ == "stored under a reserved word"


def test_user_property_auto_current_user_options_use_the_request_user(raw, monkeypatch):
    """Off App Engine the current user comes from USER_EMAIL / USER_ID (set by your auth middleware)."""
    from compat import users

    model = type("Audited", (db.Model,), {"creator": db.UserProperty(auto_current_user_add=True),
                                          "editor": db.UserProperty(auto_current_user=True)})
    monkeypatch.delenv("USER_EMAIL", raising=False)
    anonymous = model()
    assert (anonymous.creator, anonymous.editor) == (None, None)

    monkeypatch.setenv("USER_EMAIL", "first@example.com")
    monkeypatch.setenv("USER_ID", "1")
    instance = model()
    assert instance.creator == users.User("first@example.com")
    monkeypatch.setenv("USER_EMAIL", "second@example.com")
    monkeypatch.setenv("USER_ID", "2")
    key = instance.put()

    stored = raw.stored(key)
    assert stored["creator"].value["email"].value == "first@example.com"
    assert stored["editor"].value["email"].value == "second@example.com"
    assert instance.editor.email() == "second@example.com"
    with pytest.raises(TypeError):
        db.UserProperty(default=users.User("x@y.z"))
