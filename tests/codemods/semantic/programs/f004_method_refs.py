"""Family 2: legacy methods passed as values: db.Key.from_path to a helper, entity.delete as a callback."""
from google.appengine.ext import db


class Task(db.Model):
    title = db.StringProperty()


def make_keys(factory, names):
    return [factory('Task', n) for n in names]


def for_each(callbacks):
    for cb in callbacks:
        cb()


def run(observe):
    for name in ('a', 'b', 'c'):
        Task(key_name=name, title=name.upper()).put()
    keys = make_keys(db.Key.from_path, ['a', 'c'])
    observe('keys', keys)
    observe('titles', [t.title for t in db.get(keys)])
    tasks = Task.all().fetch(10)
    for_each([t.delete for t in tasks if t.title != 'B'])
    observe('left', [t.key().name() for t in Task.all()])
    getter = Task.get_by_key_name
    observe('getter', getter('b').title)
