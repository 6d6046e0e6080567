"""compat.install(): unmodified legacy imports run on compat."""

import importlib
import sys
import types

import pytest

import compat


@pytest.fixture
def installed():
    compat.install()
    yield
    for name in list(sys.modules):
        if name.startswith("tests.compat.legacy_app"):
            del sys.modules[name]
    compat.uninstall()


def test_legacy_names_resolve_to_compat(installed):
    from google.appengine.api import namespace_manager, users
    from google.appengine.ext import db
    from google.appengine.ext.db import polymodel
    from google.appengine.runtime import apiproxy_errors

    import compat.apiproxy_errors
    import compat.db
    import compat.db.polymodel

    assert db is compat.db
    assert polymodel is compat.db.polymodel
    assert users is compat.users
    assert namespace_manager is compat.namespace_manager
    assert apiproxy_errors is compat.apiproxy_errors
    assert importlib.import_module("google.appengine.api.datastore_errors").BadValueError is db.BadValueError


def test_install_is_idempotent_and_uninstall_removes_aliases():
    compat.install()
    compat.install()
    assert "google.appengine.ext.db" in sys.modules
    compat.uninstall()
    assert "google.appengine.ext.db" not in sys.modules
    with pytest.raises(ImportError):
        importlib.import_module("google.appengine.ext.db")


def test_refuses_when_the_real_sdk_is_imported():
    fake = types.ModuleType("google.appengine")
    fake.__file__ = "/opt/google_appengine/google/appengine/__init__.py"
    sys.modules["google.appengine"] = fake
    try:
        with pytest.raises(RuntimeError, match="real App Engine SDK"):
            compat.install()
    finally:
        del sys.modules["google.appengine"]
    assert "google.appengine.ext.db" not in sys.modules


def test_unmodified_employee_module_runs(installed, datastore, raw_client, monkeypatch):
    monkeypatch.setenv("USER_EMAIL", "boss@example.com")
    employees = importlib.import_module("tests.compat.legacy_app.employees")
    from google.appengine.ext import db

    boss = employees.hire("John", "manager")
    staff = [employees.hire("Ann", "producer", manager=boss), employees.hire("Bob", "producer", manager=boss)]
    assert boss.account.email() == "boss@example.com"
    assert boss.account.nickname() == "boss@example.com"  # auth domain gmail.com, not a suffix

    trained = employees.complete_training([e.key() for e in staff])
    assert all(e.new_hire_training_completed for e in trained)
    reloaded = employees.Employee.get([e.key() for e in staff])
    assert [e.new_hire_training_completed for e in reloaded] == [True, True]
    assert reloaded[0].manager.name == "John"

    promoted = employees.promote(staff[0].key(), "executive")
    assert promoted.role == "executive"
    assert employees.Employee.get(staff[0].key()).role == "executive"

    with pytest.raises(db.BadValueError):
        employees.Employee(name="Eve", role="intern")
    with pytest.raises(db.BadValueError):
        employees.Employee(role="manager")

    stored = raw_client.get(boss.key()._ds)
    assert stored["name"] == "John"
    assert "new_hire_training_completed" in stored.exclude_from_indexes
    assert stored._meanings["account"][0] == 20
    assert employees.safe_put(boss) is True
