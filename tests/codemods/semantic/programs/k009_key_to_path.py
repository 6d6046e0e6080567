"""key.to_path() and rebuilding keys from it; keys as dict keys across reloads."""
from google.appengine.ext import db


def run(observe):
    k = db.Key.from_path('Org', 'acme', 'Dept', 'eng', 'Emp', 7)
    observe('path', k.to_path())
    observe('rebuilt', db.Key.from_path(*k.to_path()) == k)
    observe('ancestors', [a.kind() for a in (k.parent(), k.parent().parent())])
