"""The google-cloud-ndb internals compat relies on: one module uses them, and each is still what we call.

google-cloud-ndb's private modules and names (``_datastore_api``,
``Key._from_ds_key`` ...) are not part of its API: any release may change
them. compat uses them in ``compat/db/_rpc.py`` only (the runtime helper of
converted code, which never imports the shim, in ``compat/ndb_legacy/_ndb.py``),
and this file holds
one contract per name: it exists, and it takes the arguments ``_rpc`` passes.
``make test`` runs it on the newest google-cloud-ndb and on the oldest the
package declares (``.venv-oldest``), so a release that breaks one fails here
with the name, not somewhere deep in a put.
"""

import ast
import inspect
import pathlib

import pytest
from google.cloud.datastore.key import Key as DsKey
from google.cloud.ndb import _batch, _cache, _datastore_api, _datastore_query, _gql, _options, _retry, _transaction
from google.cloud.ndb import context as ndb_context
from google.cloud.ndb import key as ndb_key
from google.cloud.ndb import model as ndb_model
from google.cloud.ndb import polymodel as ndb_polymodel
from google.cloud.ndb import query as ndb_query
from google.cloud.ndb import tasklets

ROOT = pathlib.Path(__file__).resolve().parents[2]
THE_DOOR = "compat/db/_rpc.py"
#: the runtime helper's door (compat.ndb_legacy imports google-cloud-ndb, never the shim)
HELPER_DOOR = "compat/ndb_legacy/_ndb.py"

#: ``(owner, name, positional args, keyword args)``: the call _rpc makes (placeholders stand for values)
CALLS = [
    (_datastore_api, "lookup", ("ds_key", "options"), {}),
    (_datastore_api, "put", ("entity", "options"), {}),
    (_datastore_api, "delete", ("ds_key", "options"), {}),
    (_datastore_api, "allocate", ("ds_keys", "options"), {}),
    (_datastore_api, "make_call", ("reserve_ids", "request"), {"timeout": None}),
    (_datastore_api, "_get_commit_batch", ("transaction", "options"), {}),
    (_datastore_api, "get_read_options", ("options",), {}),
    (_datastore_api, "prepare_to_commit", ("transaction",), {}),
    (_datastore_api, "commit", ("transaction",), {"retries": 0}),
    (_datastore_api._NonTransactionalCommitBatch, "put", ("self", "entity_pb"), {}),
    (_datastore_api._TransactionalCommitBatch, "put", ("self", "entity_pb"), {}),
    (_datastore_api._TransactionalCommitBatch, "delete", ("self", "key_pb"), {}),
    (_batch, "get_batch", (_datastore_api._NonTransactionalCommitBatch, "options"), {}),
    (_cache, "global_delete", ("cache_key",), {}),
    (_cache, "global_cache_key", ("ds_key",), {}),
    (_datastore_query, "_query_to_protobuf", ("query_options",), {}),
    (_transaction, "transaction", ("callback",), {"retries": 0, "read_only": False, "join": False}),
    (_retry, "is_transient_error", ("error",), {}),
    (ndb_key.Key, "_from_ds_key", ("ds_key",), {}),
    (ndb_context.Context, "_use_global_cache", ("self", "ds_key", "options"), {}),
    (_options, "ReadOptions", (), {"timeout": 1.0, "read_consistency": "eventual"}),
    (_options, "Options", (), {"timeout": 1.0}),
    (tasklets, "Future", (), {}),
    # compat/ndb_legacy/_ndb.py
    (ndb_model, "_entity_to_ds_entity", ("entity",), {"set_key": False}),
]

#: plain values _rpc reads
VALUES = [
    (_datastore_api, "_NOT_FOUND"),
    (_retry, "_DEFAULT_RETRIES"),
    (_retry, "_DEFAULT_INITIAL_DELAY"),
    (_retry, "_DEFAULT_MAXIMUM_DELAY"),
    (_retry, "_DEFAULT_DELAY_MULTIPLIER"),
    (tasklets, "tasklet"),
    (tasklets, "Return"),
    # compat/ndb_legacy/_ndb.py
    (_gql, "GQL"),
    (_gql, "FUNCTIONS"),
    (_datastore_query, "DOWN"),
    (ndb_polymodel, "_ClassKeyProperty"),
]

#: what ``_rpc.run_transaction`` passes to ``Context.new`` (it builds the context ndb's transaction builds)
TRANSACTION_CONTEXT_FIELDS = ("transaction", "on_commit_callbacks", "transaction_complete_callbacks", "batches",
                              "commit_batches", "cache", "eventloop")
#: the context fields ``_rpc.reader`` / ``_rpc.writer`` read to choose the direct path
CONTEXT_FIELDS = ("transaction", "global_cache", "batches", "commit_batches", "client", "eventloop", "cache")


@pytest.mark.parametrize("owner, name, args, kwargs", CALLS,
                         ids=["%s.%s" % (getattr(owner, "__name__", owner), name) for owner, name, _, _ in CALLS])
def test_each_internal_call_takes_the_arguments_compat_passes(owner, name, args, kwargs):
    function = getattr(owner, name, None)
    assert function is not None, "google-cloud-ndb has no %s.%s any more" % (owner.__name__, name)
    signature = inspect.signature(function)
    signature.bind(*args, **kwargs)  # TypeError names what no longer fits


@pytest.mark.parametrize("owner, name", VALUES, ids=["%s.%s" % (owner.__name__, name) for owner, name in VALUES])
def test_each_internal_value_compat_reads_exists(owner, name):
    assert hasattr(owner, name), "google-cloud-ndb has no %s.%s any more" % (owner.__name__, name)


def test_the_context_has_the_fields_and_takes_the_overrides_compat_uses():
    parameters = inspect.signature(ndb_context.Context.__new__).parameters
    missing = [name for name in TRANSACTION_CONTEXT_FIELDS if name not in parameters]
    assert not missing, "Context() no longer takes %s" % missing
    context = ndb_context.Context(client=object())
    for name in CONTEXT_FIELDS:
        assert hasattr(context, name), name
    scratch = context.new(transaction=b"tx", batches=None, commit_batches=None, cache=None)
    assert scratch.transaction == b"tx" and scratch.batches == {} and scratch.commit_batches == {}
    assert callable(scratch.eventloop.run) and callable(scratch.use)


def test_an_ndb_key_holds_the_datastore_key_compat_reads():
    ds_key = DsKey("Kind", 5, project="p", namespace="ns")
    assert ndb_key.Key._from_ds_key(ds_key)._key == ds_key  # _rpc.ds_key_of reads ``_key``


def test_query_options_become_the_protobuf_compat_sends():
    options = ndb_query.QueryOptions(kind="Kind", project="p", namespace="ns", order_by=None, filters=None)
    query_pb = _datastore_query._query_to_protobuf(options)
    assert query_pb._pb.kind[0].name == "Kind"
    assert _datastore_api.get_read_options(options)._pb.transaction == b""


def test_no_other_compat_module_imports_ndb_internals():
    """Private google-cloud-ndb modules and names appear in compat/db/_rpc.py only."""
    private_names = {name for _, name, _, _ in CALLS} | {name for _, name in VALUES}
    private_names = {name for name in private_names if name.startswith("_")}
    offenders = []
    for path in sorted((ROOT / "compat").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in (THE_DOOR, HELPER_DOOR):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("google.cloud.ndb"):
                modules = [node.module + "." + alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                modules = []
            for module in modules:
                if module.startswith("google.cloud.ndb") and any(part.startswith("_") for part in module.split(".")):
                    offenders.append("%s:%d imports %s" % (relative, node.lineno, module))
            if isinstance(node, ast.Attribute) and node.attr in private_names:
                offenders.append("%s:%d uses %s" % (relative, node.lineno, node.attr))
    assert not offenders, "google-cloud-ndb internals outside %s and %s:\n%s" % (
        THE_DOOR, HELPER_DOOR, "\n".join(offenders))


def test_the_gql_parser_gives_what_ndb_legacy_reads():
    """compat.ndb_legacy.gql builds its query from what ndb's GQL parser found."""
    from google.cloud.ndb import model

    parsed = _gql.GQL("SELECT __key__ FROM Kind WHERE ANCESTOR IS :1 AND n != 3 AND s IN :2 ORDER BY n DESC LIMIT 5")
    filters = parsed.filters()
    assert (_gql.GQL._ANCESTOR, "is") in filters and ("n", "!=") in filters and ("s", "IN") in filters
    assert parsed.orderings() == [("n", _datastore_query.DOWN)]
    assert parsed.kind() == "Kind" and parsed.is_keys_only() and parsed.limit() == 5 and parsed.offset() == 0
    assert parsed.projection() is None and not parsed.is_distinct()
    assert _gql.GQL.RESERVED_KEYWORDS and callable(_gql.FUNCTIONS["datetime"])
    assert model._BaseValue("x").b_val == "x"


def test_the_polymodel_class_property_computes_its_list_in_get_value():
    """compat.ndb_legacy.ClassNamesProperty replaces the list ``_ClassKeyProperty._get_value`` computes."""
    from google.cloud import ndb

    prop = ndb_polymodel.PolyModel.class_
    assert isinstance(prop, ndb_polymodel._ClassKeyProperty) and prop._name == "class" and prop._repeated
    assert "_get_value" in vars(ndb_polymodel._ClassKeyProperty)
    assert issubclass(ndb_polymodel._ClassKeyProperty, ndb.StringProperty)


def test_an_expando_load_asks_the_class_for_each_stored_names_property():
    """compat.ndb_legacy.Expando reads null dynamic values back: ndb's load asks ``_code_name_from_stored_name``
    for each stored name, takes that class attribute when it is a Property, and hands the value to its
    ``_from_datastore`` / ``_store_value`` (wrapped item by item for a repeated one)."""
    source = inspect.getsource(ndb_model._entity_from_ds_entity)
    for piece in ("model_class._code_name_from_stored_name(name)", "getattr(model_class, name, None)",
                  "prop._from_datastore(ds_entity, value)", "prop._store_value(entity, value)", "prop._repeated"):
        assert piece in source, piece
    assert "_code_name_from_stored_name" in vars(ndb_model.Model)
