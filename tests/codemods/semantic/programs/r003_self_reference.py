"""SelfReferenceProperty: a tree of categories, parents by reference, children by back-reference."""
from google.appengine.ext import db


class Node(db.Model):
    name = db.StringProperty()
    up = db.SelfReferenceProperty(collection_name='children')


def path(node):
    out = []
    while node is not None:
        out.append(node.name)
        node = node.up
    return '/'.join(reversed(out))


def run(observe):
    root = Node(key_name='root', name='root')
    root.put()
    a = Node(key_name='a', name='a', up=root)
    a.put()
    b = Node(key_name='b', name='b', up=a)
    b.put()
    observe('path', path(Node.get_by_key_name('b')))
    observe('children', [n.name for n in root.children])
    observe('grandchildren', [n.name for c in root.children for n in c.children])
