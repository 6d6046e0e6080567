"""Hostile ids: 0, negative, 2**63, bool, empty name, names with slashes."""
from google.appengine.ext import db


class Row(db.Model):
    pass


def run(observe):
    observe.error('zero', db.Key.from_path, 'Row', 0)
    observe.error('negative', db.Key.from_path, 'Row', -1)
    observe.error('too_big', db.Key.from_path, 'Row', 2 ** 63)
    observe.error('empty_name', db.Key.from_path, 'Row', '')
    observe.error('slash_name', lambda: db.Key.from_path('Row', 'a/b').name())
    observe.error('get_by_id_zero', Row.get_by_id, 0)
    observe.error('get_by_key_name_empty', Row.get_by_key_name, '')
