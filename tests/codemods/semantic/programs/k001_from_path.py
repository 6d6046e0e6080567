"""db.Key.from_path: names, ids, parents, kinds; accessors name/id/id_or_name/has_id_or_name/kind/parent."""
from google.appengine.ext import db


def run(observe):
    k = db.Key.from_path('Blog', 'tech', 'Post', 42)
    observe('key', k)
    observe('accessors', (k.kind(), k.id(), k.name(), k.id_or_name(), k.has_id_or_name()))
    observe('parent', k.parent())
    observe('parent_name', k.parent().name())
    observe('root_parent', k.parent().parent())
    p = db.Key.from_path('Blog', 'news')
    c = db.Key.from_path('Post', 'x', parent=p)
    observe('with_parent_kw', c)
    observe('namespace', c.namespace())
    observe.error('odd_args', db.Key.from_path, 'Blog')
    observe.error('bad_id_type', db.Key.from_path, 'Blog', 1.5)
