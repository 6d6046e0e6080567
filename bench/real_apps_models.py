"""Import a converted app's model modules and put/get/query every model class on the emulator.

Run by bench/real_apps.py in a fresh interpreter per app and target::

    python bench/real_apps_models.py APP_DIR --target ndb|compat --out RESULT.json MODULE...

with ``DATASTORE_EMULATOR_HOST`` set. The app folder (and the folders it
adds to ``sys.path``) go on ``sys.path`` as App Engine had them; App Engine
environment variables are set. Every module that cannot be found is
replaced by a **stub** (a module whose attributes are permissive stand-in
classes), and the stubbed names are reported: App Engine APIs the shim does
not provide (``google.appengine.api.memcache``, ``...ext.webapp``...), and
libraries the App Engine runtime bundled or the app vendored (``django``,
``webapp2``...). Nothing else is faked: the models are the converted code,
the storage is the emulator.

For each model class defined in the modules, one entity is built with a
sample value for every property that can be set (references to entities
saved first, lists with one item), put, read back by key and found by a
query on its kind; every value read back must equal the value set.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import importlib.abc
import importlib.machinery
import json
import os
import sys
import traceback
import types

# -- stubs for what the environment lacks ----------------------------------------------------


class _StubMeta(type):
    """Classes whose every attribute is another stub class (``webapp.RequestHandler``, ``memcache.Client``)."""

    def __getattr__(cls, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _stub_class(name)


class _Stub(metaclass=_StubMeta):
    """Instances accept any call and any attribute (import-time uses only)."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]  # used as a decorator
        return _Stub()

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _Stub()

    def __iter__(self):
        return iter(())

    def __bool__(self):
        return False


def _stub_class(name):
    return _StubMeta(name, (_Stub,), {"__module__": "stub"})


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        value = _stub_class(name)
        setattr(self, name, value)
        return value


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on ``sys.meta_path``: a module the app imports and nothing else finds becomes a stub package.

    Only imports made by the app's own files (or by stubs) are stubbed:
    libraries probing for optional modules keep their ImportError.
    """

    def __init__(self, app_dir):
        self.app_dir = os.path.realpath(app_dir) + os.sep
        self.stubbed = []

    def find_spec(self, fullname, path=None, target=None):
        parent = fullname.rpartition(".")[0]
        if not (parent and isinstance(sys.modules.get(parent), _StubModule)) and not self._from_app():
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def _from_app(self):
        frame = sys._getframe(2)
        while frame is not None:
            filename = frame.f_code.co_filename
            if not filename.startswith("<frozen importlib"):
                return os.path.realpath(filename).startswith(self.app_dir)
            frame = frame.f_back
        return False

    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        self.stubbed.append(module.__name__)


# -- sample values per property type --------------------------------------------------------

_NOW = datetime.datetime(2020, 1, 2, 3, 4, 5)


class _Samples:
    """Sample values for the legacy db properties (compat) or the ndb properties (ndb)."""

    def __init__(self, target):
        self.target = target
        if target == "compat":
            from compat import db, users

            self.db, self.users = db, users
        else:
            from google.cloud import ndb

            self.ndb = ndb

    def value(self, prop, depth):
        kind = self._kind(prop)
        if kind is None or self._automatic(prop):
            return _SKIP
        choices = self._choices(prop)
        if choices:
            return sorted(choices, key=repr)[0]
        if kind == "list":
            item = self._item_value(prop, depth)
            return _SKIP if item is _SKIP else [item]
        value = self._scalar(kind, prop, depth)
        if value is not _SKIP and self.target == "ndb" and getattr(prop, "_repeated", False):
            return [value]
        return value

    def _automatic(self, prop):
        """auto_now / auto_now_add: the put sets the value itself."""
        prefix = "" if self.target == "compat" else "_"
        return bool(getattr(prop, prefix + "auto_now", False) or getattr(prop, prefix + "auto_now_add", False))

    def _kind(self, prop):
        names = [c.__name__ for c in type(prop).__mro__]
        for name in names:
            if name in _KIND_BY_CLASS:
                return _KIND_BY_CLASS[name]
        return None

    def _choices(self, prop):
        return getattr(prop, "choices", None) if self.target == "compat" else getattr(prop, "_choices", None)

    def _item_value(self, prop, depth):
        item_type = getattr(prop, "item_type", str)
        return _DATA_TYPE_SAMPLES.get(item_type, _SKIP) if item_type is not self.db.Key else _SKIP

    def _scalar(self, kind, prop, depth):
        if kind == "reference":
            return self._reference(prop, depth)
        if kind == "user":
            return self.users.User("bench@example.com") if self.target == "compat" else self.ndb.User(
                email="bench@example.com", _auth_domain="example.com")
        if kind == "geopt":
            return (self.db if self.target == "compat" else self.ndb).GeoPt(35.5, 139.5)
        if kind == "im":
            return self.db.IM("xmpp", "bench@example.com")
        if kind == "custom":
            return _DATA_TYPE_SAMPLES.get(getattr(prop, "data_type", None), _SKIP)
        return _SAMPLES[kind]

    def _reference(self, prop, depth):
        if self.target == "ndb":
            kind = getattr(prop, "_kind", None)
            return self.ndb.Key(kind or "BenchTarget", "bench-ref")
        target = getattr(prop, "reference_class", None)
        if target is None or depth > 1 or target is self.db.Model:
            return _SKIP
        entity, _ = build(target, self, depth + 1)
        if entity is None:
            return _SKIP
        entity.put()
        return entity


_SKIP = object()
_KIND_BY_CLASS = {
    # legacy db (compat)
    "StringProperty": "str", "TextProperty": "text", "BlobProperty": "bytes", "ByteStringProperty": "bytes",
    "IntegerProperty": "int", "FloatProperty": "float", "BooleanProperty": "bool",
    "DateTimeProperty": "datetime", "DateProperty": "date", "TimeProperty": "time",
    "EmailProperty": "email", "LinkProperty": "link", "URLProperty": "link", "CategoryProperty": "str",
    "PhoneNumberProperty": "str", "PostalAddressProperty": "str", "RatingProperty": "rating",
    "GeoPtProperty": "geopt", "IMProperty": "im", "UserProperty": "user",
    "StringListProperty": "list", "ListProperty": "list",
    "ReferenceProperty": "reference", "KeyProperty": "reference",
    "JsonProperty": "json", "PickleProperty": "json", "GenericProperty": "str",
    "ComputedProperty": None, "UnindexedProperty": "custom", "Property": "custom",
}
_SAMPLES = {
    "str": "bench value", "text": "bench text\nwith two lines", "bytes": b"bench\x00bytes", "int": 7,
    "float": 1.5, "bool": True, "datetime": _NOW, "date": _NOW.date(), "time": _NOW.time(),
    "email": "bench@example.com", "link": "http://example.com/bench", "rating": 50, "json": {"a": [1, 2]},
}
_DATA_TYPE_SAMPLES = {str: "bench", bytes: b"bench", int: 3, float: 2.5, bool: True,
                      datetime.datetime: _NOW, datetime.date: _NOW.date(), datetime.time: _NOW.time()}


def _properties(cls, target):
    if target == "compat":
        return dict(cls.properties())
    return {prop._code_name: prop for prop in cls._properties.values()}  # (ndb keys _properties by stored name)


def build(cls, samples, depth=0, required_only=False, key_name=None):
    """An unsaved instance of ``cls`` with a sample value for every property that takes one (or required ones)."""
    values, required = {}, {}
    prefix = "" if samples.target == "compat" else "_"
    for name, prop in _properties(cls, samples.target).items():
        is_required = getattr(prop, prefix + "required", False)
        if required_only and not is_required:
            continue
        value = samples.value(prop, depth)
        if value is not _SKIP:
            values[name] = value
            if is_required:
                required[name] = value
    named = {} if key_name is None else {("key_name" if samples.target == "compat" else "id"): key_name}
    try:
        return cls(**named, **values), values
    except Exception:  # a read-only property, a constructor of its own, a validator refusing a sample
        entity = cls(**named, **required)
        kept = dict(required)
        for name, value in values.items():
            if name in required:
                continue
            try:
                setattr(entity, name, value)
                kept[name] = value
            except Exception:
                continue
        return entity, kept


def round_trip(cls, samples):
    """Put an instance, get it by key, find it by a kind query; ``(ok, detail)``."""
    entity, values = build(cls, samples)
    note = ""
    try:
        entity.put()  # (an app's put() override may return nothing: the key is read from the entity)
    except Exception as error:  # an app invariant the samples break (a _pre_put_hook assertion...)
        entity, values = build(cls, samples, required_only=True, key_name=f"bench-{cls.__name__}")
        entity.put()
        note = f"; named, required properties only (the app refused the samples: {_reason(error)[:120]})"
    if samples.target == "compat":
        key = entity.key()
        got = samples.db.get(key)
        found = [e.key() for e in cls.all().fetch(1000)]
    else:
        key = entity.key
        got = key.get()
        found = [e.key for e in cls.query().fetch(1000)]
    if got is None:
        return False, "get returned None"
    mismatches = []
    for name, value in values.items():
        read = getattr(got, name)
        if _comparable(read, samples) != _comparable(value, samples):
            mismatches.append(f"{name}: set {value!r}, read {read!r}")
    if key not in found:
        return False, f"kind query did not return the entity ({len(found)} found)"
    if mismatches:
        return False, "; ".join(mismatches)
    return True, f"{len(values)} properties{note}"


def _comparable(value, samples):
    if samples.target == "compat" and isinstance(value, samples.db.Model):
        return value.key()
    if isinstance(value, list):
        return [_comparable(v, samples) for v in value]
    return value


def model_classes(module, target):
    """Model classes defined in ``module`` (not imported into it), for the target's base class."""
    if target == "compat":
        from compat import db

        base = db.Model
    else:
        from google.cloud import ndb

        base = ndb.Model
    out = []
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, base) and value.__module__ == module.__name__:
            out.append(value)
    return out


def _reason(error: BaseException) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" [{os.path.basename(frame.filename)}:{frame.lineno}]" if frame else ""
    return f"{type(error).__name__}: {error}"[:300] + where


def main(argv=None) -> int:
    """Import the modules, round-trip their models, write the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app")
    parser.add_argument("--target", choices=("ndb", "compat"), required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--path", action="append", default=[], help="extra sys.path folders (the app's lib/ ...)")
    parser.add_argument("modules", nargs="*")
    args = parser.parse_intermixed_args(argv)

    os.chdir(args.app)
    sys.path[:0] = [args.app] + args.path
    os.environ.setdefault("SERVER_SOFTWARE", "Development/1.0 (db2ndb bench)")
    os.environ.setdefault("APPLICATION_ID", "dev~bench")
    os.environ.setdefault("CURRENT_VERSION_ID", "1.1")
    os.environ.setdefault("HTTP_HOST", "localhost:8080")
    os.environ.setdefault("AUTH_DOMAIN", "gmail.com")
    os.environ.setdefault("HTTP_ACCEPT_LANGUAGE", "en-US,en")
    samples = _Samples(args.target)  # imports compat / google.cloud.ndb before any stub can exist
    finder = _StubFinder(args.app)
    sys.meta_path.append(finder)

    result = {"modules": {}, "classes": {}, "stubbed": []}
    context = None
    if args.target == "ndb":  # entered before the imports: App Engine apps read the datastore at import time
        from google.cloud import ndb

        context = ndb.Client().context(cache_policy=lambda key: False)
        context.__enter__()
    imported = []
    for name in args.modules:
        try:
            imported.append(importlib.import_module(name))
            result["modules"][name] = "ok"
        except BaseException as error:  # noqa: BLE001 - a SystemExit from module code is a failure too
            result["modules"][name] = _reason(error)
    try:
        for module in imported:
            for cls in model_classes(module, args.target):
                label = f"{module.__name__}.{cls.__name__}"
                try:
                    ok, detail = round_trip(cls, samples)
                except Exception as error:
                    ok, detail = False, _reason(error)
                result["classes"][label] = {"ok": ok, "detail": detail}
    finally:
        if context is not None:
            context.__exit__(None, None, None)
    result["stubbed"] = sorted(set(finder.stubbed))
    with open(args.out, "w") as out:
        json.dump(result, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
