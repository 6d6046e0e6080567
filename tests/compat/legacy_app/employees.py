# A module in the style of the App Engine "Python DB client library" docs
# (the Employee example). Unmodified legacy imports: it runs on compat only
# through compat.install().
import datetime

from google.appengine.api import users
from google.appengine.ext import db
from google.appengine.runtime import apiproxy_errors


class Employee(db.Model):
    name = db.StringProperty(required=True)
    role = db.StringProperty(required=True,
                             choices=set(["executive", "manager", "producer"]))
    hire_date = db.DateProperty()
    new_hire_training_completed = db.BooleanProperty(indexed=False)
    email = db.StringProperty()
    account = db.UserProperty()
    manager = db.SelfReferenceProperty(collection_name="reports")


def hire(name, role, manager=None):
    e = Employee(name=name,
                 role=role,
                 email=users.get_current_user().email(),
                 account=users.get_current_user(),
                 manager=manager)
    e.hire_date = datetime.datetime.now().date()
    e.put()
    return e


def complete_training(keys):
    employees = db.get(keys)
    for e in employees:
        e.new_hire_training_completed = True
    db.put(employees)
    return employees


def promote(key, role):
    def txn():
        e = db.get(key)
        e.role = role
        e.put()
        return e
    return db.run_in_transaction(txn)


def safe_put(entity):
    try:
        entity.put()
        return True
    except apiproxy_errors.CapabilityDisabledError:
        return False
