"""Ancestor queries: ancestor(entity), ancestor(key), descendants at any depth, with filters."""
from google.appengine.ext import db


class Folder(db.Model):
    name = db.StringProperty()


class File(db.Model):
    name = db.StringProperty()
    size = db.IntegerProperty()


def run(observe):
    root = Folder(key_name='root', name='root')
    root.put()
    sub = Folder(key_name='sub', parent=root, name='sub')
    sub.put()
    File(parent=root, key_name='a', name='a', size=1).put()
    File(parent=sub, key_name='b', name='b', size=2).put()
    File(key_name='c', name='c', size=3).put()
    observe('under_root', sorted(f.name for f in File.all().ancestor(root)))
    observe('under_sub_key', [f.name for f in File.all().ancestor(sub.key())])
    observe('filtered', [f.name for f in File.all().ancestor(root).filter('size >', 1)])
    observe('folders', sorted(f.name for f in Folder.all().ancestor(root)))
