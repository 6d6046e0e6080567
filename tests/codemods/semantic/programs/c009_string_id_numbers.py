"""key_names that look like numbers stay strings; ids and names of the same digits are different keys."""
from google.appengine.ext import db


class Tag(db.Model):
    pass


def run(observe):
    Tag(key_name='42').put()
    Tag(key=db.Key.from_path('Tag', 42)).put()
    observe('name', Tag.get_by_key_name('42').key())
    observe('id', Tag.get_by_id(42).key())
    observe('count', Tag.all().count())
    observe.error('name_must_not_start_digit_ok', lambda: Tag(key_name='7up').key().name())
