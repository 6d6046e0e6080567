"""Recording and normalising what a differential program observes.

This module runs in two interpreters: the legacy venv (appengine-python-standard,
``google.appengine.ext.db`` under testbed) and the project's venv (google-cloud-ndb
or the ``compat`` shim). It imports neither library: every value is recognised by
its shape (duck typing), so the same code turns a legacy ``db.Key``, a ``compat``
key and an ``ndb.Key`` into the same JSON.

The normalisation is deliberately small; everything it erases is listed here and
in docs/codemods.md ("The differential suite"):

* **keys** become ``{"key": [[kind, id_or_name], ...], "ns": namespace}``: the
  application id (``testbed-test`` vs the emulator's project, with or without the
  ``s~`` partition) is dropped;
* **encoded keys** (a ``str`` that decodes completely as a legacy urlsafe
  Reference) become ``{"urlsafe": <the key above>}``: the app id is dropped, the
  fact that a string (not a Key) was observed is kept;
* **allocated ids**: an integer key id that the datastore allocated during the
  run (each runner watches its datastore's responses: the legacy stub's Put and
  AllocateIds, the emulator's Commit and AllocateIds, see ``Allocations``)
  becomes ``"auto#N"``, N being the order in which the program's observations
  first show it. The legacy stub runs with scattered ids, the emulator allocates
  small sequential ones at commit and scattered ones in AllocateIds: only the
  order is comparable. Explicit ids are kept. Bare ``int`` observations are never
  renumbered: observe keys, not ``key().id()``, where ids are allocated;
* ``str``/``bytes``/``int``/``float`` subclasses (``db.Text``, ``db.Blob``,
  ``db.Email``, ``db.Rating`` ...) count as their builtin base type: types are only
  observed when a program observes them explicitly;
* bytes become ``{"bytes": latin-1 text}``; datetimes, dates and times their ISO
  form (with the offset when aware), each tagged with its type; a datetime
  within 10 minutes of the run's clock (``auto_now``, ``utcnow()``) is
  ``"<now>"``; tuples are lists;
  sets are sorted lists tagged ``"set"``;
* **entities** become ``{"entity": kind, "key": key or None, "props": {...}}``
  with the attribute names of their properties (the PolyModel class property is
  ``class`` on both sides) and, for references, the referenced key (what
  ``get_value_for_datastore`` returns) rather than the dereferenced entity;
* **exceptions** become ``{"raises": class name, "mro": [class names],
  "message": str}``; the message is kept for the reader, never compared.

Ints and floats stay distinct (``1`` vs ``1.0``); list order is kept.

**Stored entities**: after ``run`` each runner reads every entity of the
default namespace back raw (the legacy stub through ``datastore.Query()``, the
emulator through google-cloud-datastore) and records them under the label
``@stored``: per entity its key, each property as ``[v1 value type, meaning,
value]`` (legacy's v3 value classes mapped to the Cloud Datastore v1 form its
own converter gives them, docs/storage.md) and the names of unindexed
properties; entities sorted by key with allocated ids masked, before they are
numbered.
"""

import datetime
import traceback

_TRANSPARENT_EXCEPTIONS = (KeyboardInterrupt, SystemExit)
STORED_LABEL = "@stored"


class Observer:
    """The ``observe`` callable handed to a program's ``run(observe)``.

    ``observe(label, value)`` records a value; ``observe.error(label, fn, *args,
    **kwargs)`` calls ``fn`` and records either what it returned or the exception
    it raised, so a program can probe behaviour that legacy refused.
    """

    def __init__(self, allocations=None):
        self.records = []
        self.allocations = allocations if allocations is not None else Allocations()

    def __call__(self, label, value):
        self.records.append([str(label), _normalise(value)])
        return value

    def error(self, label, fn, *args, **kwargs):
        """Call ``fn(*args, **kwargs)``; record ``{"returns": value}`` or the exception it raised."""
        try:
            value = fn(*args, **kwargs)
        except _TRANSPARENT_EXCEPTIONS:
            raise
        except BaseException as error:  # noqa: BLE001 - every exception is an observation
            self.records.append([str(label), exception_record(error)])
            return None
        self.records.append([str(label), {"returns": _normalise(value)}])
        return value

    def stored(self, entities):
        """Record the datastore's content: ``entities`` as (key, {name: stored form}, unindexed names)."""
        records = [{"key": _normalise(key), "props": {n: props[n] for n in sorted(props)},
                    "unindexed": sorted(unindexed)} for key, props, unindexed in entities]
        self.records.append([STORED_LABEL, records])

    def finish(self):
        """The recorded observations with allocated ids numbered by first appearance."""
        import json

        for label, value in self.records:
            if label == STORED_LABEL:
                value.sort(key=lambda e: json.dumps(_mask_auto_ids(e, self.allocations), sort_keys=True))
        return _number_auto_ids(self.records, self.allocations)


def exception_record(error):
    """An exception as class name, MRO names and message (the message is informative only)."""
    names = [klass.__name__ for klass in type(error).__mro__ if klass not in (object, BaseException)]
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 - an unprintable message is still an exception
        message = "<unprintable>"
    return {"raises": type(error).__name__, "mro": names, "message": message[:300]}


def crash_record(error):
    """An exception that escaped the program, with the last frames for the reader."""
    record = exception_record(error)
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    record["where"] = ["%s:%d %s" % (f.filename.rsplit("/", 1)[-1], f.lineno, f.line or "") for f in frames]
    return record


# ---------------------------------------------------------------- normalisation


def _normalise(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, BaseException):
        return exception_record(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        key = _decode_urlsafe_key(value)
        return {"urlsafe": key} if key is not None else str(value)
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": bytes(value).decode("latin-1")}
    if isinstance(value, datetime.datetime):
        if _is_now(value):
            return {"datetime": "<now>"}
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_normalise(item) for item in value]
    if isinstance(value, (set, frozenset)):
        import json

        return {"set": sorted((_normalise(item) for item in value), key=lambda v: json.dumps(v, sort_keys=True))}
    if isinstance(value, dict):
        return {"dict": sorted([[str(k), _normalise(v)] for k, v in value.items()], key=lambda kv: kv[0])}
    key = _key_path(value)
    if key is not None:
        return key
    if _is_entity(value):
        return _entity(value)
    if hasattr(value, "lat") and hasattr(value, "lon"):
        return {"geopt": [float(value.lat), float(value.lon)]}
    if type(value).__name__ == "User" and callable(getattr(value, "email", None)):
        return {"user": value.email()}
    return {"object": type(value).__name__}


def _is_now(value):
    """Whether a datetime is the run's wall clock (auto_now, utcnow()): within 10 minutes of now, UTC."""
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.replace(tzinfo=None) - value.utcoffset()
    return abs(datetime.datetime.utcnow() - value) < datetime.timedelta(minutes=10)


def _key_path(value):
    """A legacy/compat ``db.Key`` or an ``ndb.Key`` as pairs and namespace; None for anything else."""
    pairs = None
    if callable(getattr(value, "pairs", None)) and callable(getattr(value, "flat", None)):  # ndb.Key
        pairs = [list(pair) for pair in value.pairs()]
    elif callable(getattr(value, "to_path", None)) and callable(getattr(value, "id_or_name", None)):  # db.Key
        flat = _db_flat_path(value)
        if len(flat) % 2:
            flat.append(None)
        pairs = [[flat[i], flat[i + 1]] for i in range(0, len(flat), 2)]
    if pairs is None:
        return None
    namespace = value.namespace() if callable(getattr(value, "namespace", None)) else None
    return {"key": [[str(kind), _key_id(ident)] for kind, ident in pairs], "ns": namespace or ""}


def _db_flat_path(key):
    """``key.to_path()``; for an incomplete key (legacy's ``to_path()`` refuses it) its parent's path, its kind and None."""
    try:
        return list(key.to_path())
    except Exception:
        parent = key.parent()
        return (_db_flat_path(parent) if parent is not None else []) + [key.kind(), None]


def _key_id(ident):
    if ident is None or isinstance(ident, str):
        return ident
    return int(ident)


def _is_entity(value):
    kind = type(value)
    if callable(getattr(kind, "properties", None)) and callable(getattr(value, "is_saved", None)):
        return True  # legacy db / compat
    return isinstance(getattr(value, "_properties", None), dict) and hasattr(value, "_values")  # ndb


def _entity(value):
    kind = type(value)
    if callable(getattr(value, "is_saved", None)):  # legacy db / compat
        properties = dict(kind.properties())
        dynamic = value.dynamic_properties() if callable(getattr(value, "dynamic_properties", None)) else []
        has_key = value.has_key() if callable(getattr(value, "has_key", None)) else value.is_saved()
        key = value.key() if has_key else None
        kind_name = key.kind() if key is not None else kind.kind()
        props = {}
        for name, prop in properties.items():
            if hasattr(prop, "reference_class"):
                props[name] = prop.get_value_for_datastore(value)
            else:
                props[name] = getattr(value, name)
        for name in dynamic:
            props[name] = getattr(value, name)
    else:  # ndb
        key = value.key
        kind_name = key.kind() if key is not None else kind._get_kind()
        props = {}
        for prop in value._properties.values():
            name = getattr(prop, "_code_name", None) or prop._name
            props[name] = getattr(value, name, None)
    out = {}
    for name, item in props.items():
        out[_PROPERTY_ALIASES.get(name, name)] = _normalise(item)
    return {"entity": kind_name, "key": _normalise(key), "props": {k: out[k] for k in sorted(out)}}


_PROPERTY_ALIASES = {"_class": "class", "class_": "class"}


# ---------------------------------------------------------------- allocated ids


class Allocations:
    """The ids a datastore allocated during one program's run (filled by the runner's RPC watcher)."""

    def __init__(self):
        self.ids = set()
        self.ranges = []

    def add(self, ident):
        """An id the datastore allocated (a Put/Commit of an incomplete key, an AllocateIds key)."""
        if ident:
            self.ids.add(int(ident))

    def add_range(self, start, end):
        """A block of ids reserved by AllocateIds (legacy returns a range)."""
        if start and end >= start:
            self.ranges.append((int(start), int(end)))

    def __contains__(self, ident):
        return ident in self.ids or any(start <= ident <= end for start, end in self.ranges)


def _number_auto_ids(records, allocations):
    order = {}

    def visit(node):
        if isinstance(node, dict):
            if "key" in node and "ns" in node and isinstance(node["key"], list):
                pairs = []
                for kind, ident in node["key"]:
                    if isinstance(ident, int) and ident in allocations:
                        ident = order.setdefault(ident, "auto#%d" % (len(order) + 1))
                    pairs.append([kind, ident])
                return {"key": pairs, "ns": node["ns"]}
            return {k: visit(v) for k, v in node.items()}
        if isinstance(node, list):
            return [visit(item) for item in node]
        return node

    return [[label, visit(value)] for label, value in records]


def _mask_auto_ids(node, allocations):
    if isinstance(node, dict):
        if "key" in node and "ns" in node and isinstance(node["key"], list):
            return [[kind, "auto" if isinstance(ident, int) and ident in allocations else ident]
                    for kind, ident in node["key"]]
        return {k: _mask_auto_ids(v, allocations) for k, v in node.items()}
    if isinstance(node, list):
        return [_mask_auto_ids(item, allocations) for item in node]
    return node


# ---------------------------------------------------------------- stored entities

# legacy v3 value classes -> (v1 value type, meaning), as the legacy SDK's own v3 -> v1 converter writes them
LEGACY_STORED_FORMS = {
    "str": ("string", None), "Text": ("string", 15), "Email": ("string", 8), "Link": ("string", 2),
    "Category": ("string", 1), "PhoneNumber": ("string", 11), "PostalAddress": ("string", 12),
    "IM": ("string", 10), "Blob": ("blob", None), "ByteString": ("blob", None), "bytes": ("blob", None),
    "Rating": ("integer", 13), "int": ("integer", None), "bool": ("boolean", None),
    "float": ("double", None), "datetime": ("timestamp", None), "Key": ("key", None),
    "GeoPt": ("geo_point", None), "User": ("entity", 20), "NoneType": ("null", None),
}


def stored_form(value_type, meaning, value):
    """One stored value as ``[v1 value type, meaning, normalised value]`` (a list for an array)."""
    if value_type == "timestamp" and getattr(value, "tzinfo", None) is not None:
        value = value.replace(tzinfo=None) - (value.utcoffset() or datetime.timedelta(0))
    if value_type == "entity" and meaning == 20:
        email = value.get("email") if isinstance(value, dict) else value.email()
        return [value_type, meaning, {"user": email}]
    return [value_type, meaning, _normalise(value)]


def legacy_stored_form(value, unindexed):
    """A value read from the legacy stub (a v3 value class) in its v1 stored form."""
    if isinstance(value, list):
        return ["array", None, [legacy_stored_form(item, unindexed) for item in value]]
    value_type, meaning = LEGACY_STORED_FORMS.get(type(value).__name__, (type(value).__name__, None))
    if type(value).__name__ == "ByteString" and unindexed:
        meaning = 16  # the converter keeps BYTESTRING on unindexed ByteStrings
    if type(value).__name__ == "IM":
        value = str(value)  # stored as "protocol address"
    return stored_form(value_type, meaning, value)


def v1_stored_form(value, meaning):
    """A value read through google-cloud-datastore (its python type and the ``_meanings`` entry) in v1 form."""
    if isinstance(value, list):
        subs = meaning[1] if isinstance(meaning, tuple) else None
        items = []
        for index, item in enumerate(value):
            sub = subs[index] if subs else (meaning if isinstance(meaning, int) else None)
            items.append(v1_stored_form(item, sub))
        return ["array", None, items]
    if isinstance(meaning, tuple):
        meaning = meaning[0]
    name = type(value).__name__
    if value is None:
        value_type = "null"
    elif isinstance(value, bool):
        value_type = "boolean"
    elif isinstance(value, int):
        value_type = "integer"
    elif isinstance(value, float):
        value_type = "double"
    elif isinstance(value, str):
        value_type = "string"
    elif isinstance(value, bytes):
        value_type = "blob"
    elif isinstance(value, datetime.datetime):
        value_type = "timestamp"
    elif name == "GeoPoint":
        value_type = "geo_point"
        value = _GeoPoint(value.latitude, value.longitude)
    elif name == "Key":
        value_type = "key"
        value = _FlatKey(value.flat_path, value.namespace)
    elif name == "Entity":
        value_type = "entity"
    else:
        value_type = name
    return stored_form(value_type, meaning or None, value)


class _GeoPoint:
    def __init__(self, lat, lon):
        self.lat, self.lon = lat, lon


class _FlatKey:
    """A google-cloud-datastore key seen through the db.Key accessors ``_key_path`` reads."""

    def __init__(self, flat, namespace):
        self._flat, self._namespace = list(flat), namespace

    def to_path(self):
        return self._flat

    def id_or_name(self):
        return self._flat[-1]

    def namespace(self):
        return self._namespace or ""


# ---------------------------------------------------------------- urlsafe keys


def _decode_urlsafe_key(text):
    """Decode a legacy urlsafe key string (base64 of a Reference protobuf); None if it is not one.

    Reference: app = field 13 (string), name_space = 20 (string), path = 14
    (a Path message) of Element groups (field 1) holding type = 2, id = 3
    (varint), name = 4 (string). Only a string that decodes *completely* into an app and a
    non-empty path is taken for a key.
    """
    if len(text) < 12 or not text.isascii() or not all(c.isalnum() or c in "-_=" for c in text):
        return None
    import base64

    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except Exception:  # noqa: BLE001 - not base64: not a key
        return None
    try:
        fields, end = _read_fields(data, 0, None)
    except (IndexError, ValueError):
        return None
    if end != len(data):
        return None
    app = [v for f, v in fields if f == 13 and isinstance(v, bytes)]
    path = [v for f, v in fields if f == 14]
    if len(app) != 1 or len(path) != 1 or not isinstance(path[0], bytes):
        return None
    try:
        elements, end = _read_fields(path[0], 0, None)
    except (IndexError, ValueError):
        return None
    if not elements or end != len(path[0]):
        return None
    pairs = []
    for field, element in elements:
        if field != 1 or not isinstance(element, list):
            return None
        kind = [v for f, v in element if f == 2 and isinstance(v, bytes)]
        ids = [v for f, v in element if f == 3]
        names = [v for f, v in element if f == 4]
        if len(kind) != 1 or len(ids) + len(names) > 1:
            return None
        ident = ids[0] if ids else (names[0].decode("utf-8") if names else None)
        pairs.append([kind[0].decode("utf-8"), ident])
    namespace = [v for f, v in fields if f == 20]
    return {"key": pairs, "ns": namespace[0].decode("utf-8") if namespace else ""}


def _read_varint(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 70:
            raise ValueError("varint too long")


def _read_fields(data, pos, group):
    fields = []
    while pos < len(data):
        tag, pos = _read_varint(data, pos)
        field, wire = tag >> 3, tag & 7
        if wire == 0:
            value, pos = _read_varint(data, pos)
        elif wire == 2:
            length, pos = _read_varint(data, pos)
            value, pos = data[pos:pos + length], pos + length
            if pos > len(data):
                raise ValueError("truncated")
        elif wire == 3:
            value, pos = _read_fields(data, pos, field)
        elif wire == 4:
            if field != group:
                raise ValueError("unbalanced group")
            return fields, pos
        else:
            raise ValueError("unexpected wire type")
        fields.append((field, value))
    if group is not None:
        raise ValueError("unterminated group")
    return fields, pos
