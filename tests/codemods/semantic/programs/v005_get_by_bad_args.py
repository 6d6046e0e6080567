"""get_by_id / get_by_key_name / db.get with wrong argument types."""
from google.appengine.ext import db


class Row(db.Model):
    pass


def run(observe):
    Row(key_name='a').put()
    observe.error('id_as_str', Row.get_by_id, 'a')
    observe.error('name_as_int', Row.get_by_key_name, 5)
    observe.error('db_get_int', db.get, 5)
    observe.error('db_get_none_list', db.get, [])
