"""str(query) / explain(), RPC options (create_config deadline and read_policy) and what each RunQuery carries."""

import grpc
import pytest
from google.cloud.datastore_v1.types import datastore as datastore_pb2
from query_models import QAuthor, QStory, ns

from compat import db


def test_str_is_the_equivalent_gql(clean_datastore):
    author = QAuthor(key_name="ann")
    query = QStory.all().filter("n >=", 3).filter("tags IN", ["a", "b"]).filter("author =", author).order("-n")
    assert str(query) == ("SELECT * FROM QStory WHERE n >= 3 AND tags IN ('a', 'b') "
                          "AND author = KEY('QAuthor', 'ann') ORDER BY n DESC")
    query = QStory.all(keys_only=True).ancestor(author).filter("place =", db.GeoPt(1, 2))
    assert str(query) == "SELECT __key__ FROM QStory WHERE place = GEOPT(1.0, 2.0) AND ANCESTOR IS KEY('QAuthor', 'ann')"
    assert str(QStory.all(projection=("n", "title"), distinct=True)) == "SELECT DISTINCT n, title FROM QStory"
    gql = db.GqlQuery("SELECT * FROM QStory WHERE n = :1 AND published > DATE(2020, 1, 2) ORDER BY n LIMIT 5", 7)
    assert str(gql) == ("SELECT * FROM QStory WHERE n = 7 AND published > DATETIME('2020-01-02 00:00:00') "
                        "ORDER BY n LIMIT 5")
    assert repr(db.Query()) == "<db.Query SELECT *>"
    unbound = db.GqlQuery("SELECT * FROM QStory WHERE n = :1 AND title = :who")
    assert str(unbound) == "SELECT * FROM QStory WHERE n = :1 AND title = :who"  # no arguments yet: no error
    unbound.bind(3, who="it's")
    assert repr(unbound) == "<db.GqlQuery SELECT * FROM QStory WHERE n = 3 AND title = 'it''s'>"


def test_explain_shows_the_ndb_query_and_how_it_runs(clean_datastore, counted):
    text = QStory.all().filter("n >", 2).order("n").explain(limit=5, batch_size=2)
    lines = text.splitlines()
    assert lines[0] == "GQL: SELECT * FROM QStory WHERE n > 2 ORDER BY n LIMIT 5"
    assert lines[1].startswith("ndb: Query(") and "kind='QStory'" in lines[1]
    assert "FilterNode('n', '>', 2)" in lines[1] and "PropertyOrder(name='n', reverse=False)" in lines[1]
    assert lines[2] == "runs: 1 datastore query"
    assert lines[3] == "options: limit=5, offset=0, batch_size=2"
    text = QStory.all().filter("n IN", [1, 2]).filter("title !=", "x").order("title").explain()
    assert "runs: 4 datastore queries" in text and "merged in memory in sort order" in text
    assert "OR(" in text.splitlines()[1]
    assert "nothing" in QStory.all().filter("n IN", []).explain()
    assert "OFFSET 3" in db.GqlQuery("SELECT * FROM QStory LIMIT 2 OFFSET 3").explain()
    with pytest.raises(db.BadArgumentError):
        QStory.all().filter("n >", 1).order("title").explain()  # the same errors a run would raise
    assert counted.calls["RunQuery"] == 0


def _capture_run_queries(proxy):
    """Every RunQueryRequest the proxy forwards (a rule whose predicate records and never rejects)."""
    seen = []

    def record(method, request_bytes):
        seen.append(datastore_pb2.RunQueryRequest.pb().FromString(request_bytes))
        return False

    proxy.reject("RunQuery", grpc.StatusCode.UNAVAILABLE, when=record)
    return seen


def test_read_policy_and_transactions_reach_the_request(counted):
    QStory(key_name="a", n=1).put()
    requests = _capture_run_queries(counted)
    assert ns(QStory.all().fetch(5, read_policy=db.EVENTUAL_CONSISTENCY)) == [1]
    assert ns(QStory.all().fetch(5, config=db.create_config(read_policy=db.EVENTUAL_CONSISTENCY))) == [1]
    assert ns(QStory.all().fetch(5)) == [1]
    eventual = datastore_pb2.ReadOptions.ReadConsistency.EVENTUAL
    assert [r.read_options.read_consistency == eventual for r in requests] == [True, True, False]

    def in_transaction():
        with pytest.raises(db.BadRequestError, match="EVENTUAL"):
            QStory.all().ancestor(db.Key.from_path("QStory", "a")).fetch(1, read_policy=db.EVENTUAL_CONSISTENCY)
        return ns(QStory.all().ancestor(db.Key.from_path("QStory", "a")))

    assert db.run_in_transaction(in_transaction) == [1]
    assert requests[-1].read_options.transaction  # the query ran inside the transaction


def test_deadline_is_honoured(clean_datastore):
    from query_models import make_stories

    make_stories(300)  # a query over 300 entities takes far longer than the deadline below
    config = db.create_config(deadline=0.000001)
    with pytest.raises(db.Timeout):
        QStory.all().fetch(300, config=config)
    with pytest.raises(db.Timeout):
        QStory.all().filter("n IN", [1, 2]).fetch(300, deadline=0.000001)
    assert len(QStory.all().fetch(300, config=db.create_config(deadline=30))) == 300


def test_a_deadline_cancelling_the_stream_is_a_timeout_too():
    from google.api_core import exceptions as core

    from compat.db import errors

    translated = errors.translate(core.Cancelled("Stream removed (RST_STREAM (Received RST_STREAM with error code 8))"))
    assert isinstance(translated, db.Timeout)
