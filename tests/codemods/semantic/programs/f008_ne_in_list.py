"""Family 4: != and IN filters, also on a list property, with sort orders."""
from google.appengine.ext import db


class Photo(db.Model):
    owner = db.StringProperty()
    tags = db.StringListProperty()
    size = db.IntegerProperty()


def run(observe):
    db.put([
        Photo(key_name='p1', owner='ann', tags=['sea', 'sun'], size=3),
        Photo(key_name='p2', owner='bob', tags=['snow'], size=1),
        Photo(key_name='p3', owner='cid', tags=['sun', 'city'], size=2),
        Photo(key_name='p4', owner='ann', tags=['city'], size=5),
    ])
    q = Photo.all().filter('owner !=', 'ann')
    observe('ne', [p.key().name() for p in q])
    q = Photo.all().filter('owner IN', ['ann', 'cid']).order('size')
    observe('in_ordered', [p.key().name() for p in q])
    q = Photo.all().filter('tags IN', ['sun', 'snow']).order('-size')
    observe('in_list_prop', [p.key().name() for p in q])
    q = Photo.all().filter('tags !=', 'sun')
    observe('ne_list_prop', sorted(p.key().name() for p in q))
    q = Photo.all().filter('owner IN', ['ann', 'bob']).order('-size')
    observe('in_fetch_offset', [p.key().name() for p in q.fetch(2, 1)])
