"""Every transaction path of legacy db against the emulator (RPCs counted / faults injected by the proxy)."""

import datetime

import grpc
import pytest

from compat import db

#: Cross-group options: these transactions touch two accounts (two entity groups), as legacy required.
XG = db.create_transaction_options(xg=True)


class TxAccount(db.Model):
    balance = db.IntegerProperty(default=0)
    owner = db.StringProperty()


class TxEntry(db.Model):
    amount = db.IntegerProperty()
    when = db.DateTimeProperty()


def balance(name):
    account = TxAccount.get_by_key_name(name)
    return None if account is None else account.balance


def deposit(name, amount=1):
    account = TxAccount.get_by_key_name(name) or TxAccount(key_name=name)
    account.balance += amount
    account.put()
    return account.balance


@pytest.fixture
def accounts(clean_datastore):
    db.put([TxAccount(key_name="alice", balance=10), TxAccount(key_name="bob", balance=0)])


def test_commit_returns_the_function_result_and_passes_arguments(accounts):
    assert db.run_in_transaction(deposit, "alice", amount=5) == 15
    assert db.RunInTransaction(deposit, "bob") == 1
    assert (balance("alice"), balance("bob")) == (15, 1)
    assert db.run_in_transaction_options(db.create_config(deadline=30), deposit, "bob") == 2  # a plain config
    assert db.run_in_transaction_options(None, deposit, "bob") == 3


def test_rollback_is_quiet_and_writes_nothing(accounts):
    def transfer():
        deposit("alice", -3)
        deposit("bob", 3)
        raise db.Rollback()

    assert db.run_in_transaction_options(XG, transfer) is None
    assert (balance("alice"), balance("bob")) == (10, 0)


def test_any_other_exception_rolls_back_and_propagates(accounts, counted):
    class Boom(Exception):
        pass

    def transfer():
        deposit("alice", -3)
        deposit("bob", 3)
        raise Boom("stop")

    with pytest.raises(Boom, match="stop"):
        db.run_in_transaction_options(XG, transfer)
    assert (balance("alice"), balance("bob")) == (10, 0)
    assert counted.calls["Commit"] == 0 and counted.calls["Rollback"] == 1


def test_writes_become_visible_only_at_commit(accounts):
    def inside():
        deposit("alice", 1)
        return balance("alice")  # a transactional read sees the snapshot, not its own write

    assert db.run_in_transaction(inside) == 10
    assert balance("alice") == 11


def test_contention_is_retried_then_fails_with_transaction_failed_error(accounts, counted):
    attempts = []

    def tracked():
        attempts.append(1)
        return deposit("alice")

    counted.reject("Commit", grpc.StatusCode.ABORTED, "too much contention", times=2)
    assert db.run_in_transaction(tracked) == 11  # 2 collisions, then success (3 retries allowed)
    assert len(attempts) == 3

    attempts.clear()
    counted.reject("Commit", grpc.StatusCode.ABORTED, "too much contention", times=4)
    with pytest.raises(db.TransactionFailedError):
        db.run_in_transaction(tracked)
    assert len(attempts) == 4  # the first try and 3 retries
    assert balance("alice") == 11  # nothing written

    attempts.clear()
    counted.allow_all()
    counted.reject("Commit", grpc.StatusCode.ABORTED, "too much contention", times=1)
    with pytest.raises(db.TransactionFailedError):
        db.run_in_transaction_custom_retries(0, tracked)
    assert len(attempts) == 1

    attempts.clear()
    counted.reject("Commit", grpc.StatusCode.ABORTED, "too much contention", times=5)
    assert db.run_in_transaction_custom_retries(5, tracked) == 12
    assert len(attempts) == 6

    attempts.clear()
    counted.reject("Commit", grpc.StatusCode.ABORTED, "too much contention", times=2)
    options = db.create_transaction_options(retries=1, xg=True)
    with pytest.raises(db.TransactionFailedError):
        db.run_in_transaction_options(options, tracked)
    assert len(attempts) == 2
    assert balance("alice") == 12


def test_a_server_error_that_is_not_contention_is_translated_not_retried(accounts, counted):
    counted.reject("Commit", grpc.StatusCode.INVALID_ARGUMENT, "bad mutation", times=1)
    calls = []

    def work():
        calls.append(1)
        deposit("alice")

    with pytest.raises(db.BadRequestError, match="bad mutation"):
        db.run_in_transaction(work)
    assert calls == [1]


def test_nested_transactions(accounts, counted):
    def inner():
        return deposit("bob", 2)

    def nested_default():
        return db.run_in_transaction(inner)

    with pytest.raises(db.BadRequestError, match="Nested transactions are not supported"):
        db.run_in_transaction(nested_default)
    nested = db.create_transaction_options(propagation=db.NESTED)
    with pytest.raises(db.BadRequestError, match="Nested transactions are not supported"):
        db.run_in_transaction(lambda: db.run_in_transaction_options(nested, inner))

    counted.reset_counts()
    for propagation in (db.ALLOWED, db.MANDATORY):
        options = db.create_transaction_options(propagation=propagation)

        def joined():
            deposit("alice", 1)
            return db.run_in_transaction_options(options, inner)

        db.run_in_transaction_options(XG, joined)  # two entity groups: cross-group
    assert counted.calls["Commit"] == 2  # each inner call joined its outer transaction
    assert (balance("alice"), balance("bob")) == (12, 4)

    with pytest.raises(db.BadRequestError, match="Requires an existing transaction"):
        db.run_in_transaction_options(db.create_transaction_options(propagation=db.MANDATORY), inner)
    assert db.run_in_transaction_options(db.create_transaction_options(propagation=db.ALLOWED), inner) == 6


def test_independent_transactions_commit_on_their_own(accounts):
    independent = db.create_transaction_options(propagation=db.INDEPENDENT)

    def outer():
        deposit("alice", 100)
        db.run_in_transaction_options(independent, deposit, "bob", 7)
        assert db.is_in_transaction()
        raise db.Rollback()

    db.run_in_transaction(outer)
    assert (balance("alice"), balance("bob")) == (10, 7)


def test_transactional_decorator(accounts):
    @db.transactional
    def bare(name):
        assert db.is_in_transaction()
        return deposit(name)

    @db.transactional(retries=0, xg=True)
    def configured(name):
        return deposit(name, 10)

    @db.transactional
    def calls_another(name):
        return bare(name) + configured(name)  # legacy default propagation ALLOWED: they join this one

    @db.transactional(require_new=True)
    def must_be_alone(name):
        return deposit(name)

    @db.transactional(propagation=db.INDEPENDENT)
    def separate(name):
        return deposit(name, 1000)

    assert bare("alice") == 11
    assert configured("alice") == 21
    assert calls_another("bob") == 1 + 10  # reads see the snapshot: both read balance 0
    assert balance("bob") == 10
    with pytest.raises(db.BadRequestError, match="Nested"):
        db.run_in_transaction(must_be_alone, "bob")
    assert must_be_alone("bob") == 11

    def rolled_back():
        separate("bob")
        raise db.Rollback()

    db.run_in_transaction(rolled_back)
    assert balance("bob") == 1011
    assert bare.__name__ == "bare"


def test_non_transactional_decorator(accounts):
    @db.non_transactional
    def audit(amount):
        assert not db.is_in_transaction()
        TxEntry(key_name="audit", amount=amount).put()

    @db.non_transactional(allow_existing=False)
    def strict():
        return "ran"

    def outer():
        deposit("alice", 5)
        audit(5)
        raise db.Rollback()

    db.run_in_transaction(outer)
    assert balance("alice") == 10
    assert TxEntry.get_by_key_name("audit").amount == 5  # written outside the rolled-back transaction
    assert strict() == "ran"
    with pytest.raises(db.BadRequestError, match="cannot be called from within a transaction"):
        db.run_in_transaction(strict)
    audit(6)
    assert TxEntry.get_by_key_name("audit").amount == 6


def test_is_in_transaction(accounts, ndb_client):
    from google.cloud import ndb

    assert not db.is_in_transaction()
    assert db.run_in_transaction(db.is_in_transaction)
    with ndb_client.context():
        assert not db.is_in_transaction()
        assert ndb.transaction(db.is_in_transaction)


def test_ancestor_queries_inside_transactions(clean_datastore):
    parent = TxAccount(key_name="family")
    parent.put()
    db.put([TxEntry(parent=parent, key_name="e%d" % i, amount=i) for i in range(5)])

    def settle():
        entries = TxEntry.all().ancestor(parent).order("amount").fetch(10)
        total = sum(entry.amount for entry in entries)
        TxEntry(parent=parent, key_name="total", amount=total).put()
        # a query inside the transaction sees the snapshot: the new entry is not there yet
        return total, TxEntry.all().ancestor(parent).count(), [e.amount for e in
                                                                 TxEntry.gql("WHERE ANCESTOR IS :1", parent)]

    assert db.run_in_transaction(settle) == (10, 5, [0, 1, 2, 3, 4])
    assert TxEntry.all().ancestor(parent).count() == 6
    assert TxEntry.get_by_key_name("total", parent=parent).amount == 10
    # as in legacy, the emulator refuses other queries in a transaction (Firestore in Datastore mode accepts them)
    with pytest.raises(db.BadRequestError, match="ancestor"):
        db.run_in_transaction(lambda: TxEntry.all().filter("amount =", 1).fetch(1))


def test_read_only_transactions(accounts):
    assert db.run_in_read_only_transaction(balance, "alice") == 10
    options = db.create_transaction_options(retries=1)
    assert db.run_in_read_only_transaction_options(options, balance, "bob") == 0
    with pytest.raises(db.BadRequestError):
        db.run_in_read_only_transaction(deposit, "alice")
    assert balance("alice") == 10


def test_create_config_is_honoured_on_gets_and_queries(accounts):
    key = db.Key.from_path("TxAccount", "alice")
    # A deadline far shorter than the call: 300 lookups / a 300-entity query take many milliseconds
    # (a single small call can beat a microsecond deadline, as gRPC's clock is coarse).
    db.put([TxEntry(key_name="e%d" % i, amount=i) for i in range(300)])
    many = [db.Key.from_path("TxEntry", "e%d" % i) for i in range(300)]
    tiny = db.create_config(deadline=0.000001)
    with pytest.raises(db.Timeout):
        db.get(many, config=tiny)
    with pytest.raises(db.Timeout):
        TxEntry.all().fetch(300, config=tiny)
    assert len(db.get(many, config=db.create_config(deadline=30))) == 300
    eventual = db.create_config(read_policy=db.EVENTUAL_CONSISTENCY, deadline=30)
    assert db.get(key, config=eventual).balance == 10
    assert TxAccount.all().filter("balance =", 10).get(config=eventual).key() == key

    def inside():
        with pytest.raises(db.BadRequestError, match="EVENTUAL"):
            TxAccount.all().ancestor(key).get(config=eventual)
        return db.get(key, config=db.create_config(deadline=30)).balance

    assert db.run_in_transaction(inside) == 10


def test_transaction_options_are_validated():
    for bad in (dict(retries=-1), dict(retries="3"), dict(propagation=99), dict(xg="yes"), dict(deadline=0)):
        with pytest.raises(db.BadArgumentError):
            db.create_transaction_options(**bad)


def test_datetime_values_round_trip_in_a_transaction(clean_datastore):
    moment = datetime.datetime(2021, 5, 6, 7, 8, 9)
    db.run_in_transaction(lambda: TxEntry(key_name="t", when=moment).put())
    assert TxEntry.get_by_key_name("t").when == moment
