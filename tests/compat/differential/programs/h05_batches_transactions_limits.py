"""Batches and transactions at the edges: duplicate keys, entity groups (xg), the 1 MiB entity limit,
and what is left stored after each refused call."""
from google.appengine.ext import db


class Doc(db.Model):
    n = db.IntegerProperty()
    blob = db.BlobProperty()
    text = db.TextProperty()


class Bag(db.Expando):
    pass


XG = db.create_transaction_options(xg=True)
BIG = 1024 * 1024 + 10


def _stored():
    return sorted((doc.key().name() or 'id', doc.n) for doc in Doc.all())


def _doc(name, n=0, **values):
    return Doc(key_name=name, n=n, **values)


def run(observe):
    observe.error('put_duplicates', lambda: [k.name() for k in db.put([_doc('a', 1), _doc('a', 2)])])
    observe('after_put_duplicates', [Doc.get_by_key_name('a').n, _stored()])
    observe.error('put_duplicates_three', lambda: len(db.put([_doc('b', 1), _doc('c', 1), _doc('b', 3)])))
    observe('after_three', _stored())
    observe.error('delete_duplicates', db.delete, [db.Key.from_path('Doc', 'b'), db.Key.from_path('Doc', 'b')])
    observe('after_delete_duplicates', _stored())
    observe.error('delete_mixed_forms', db.delete, [Doc.get_by_key_name('c'), str(db.Key.from_path('Doc', 'c'))])
    observe('after_delete_mixed', _stored())

    def duplicates_in_transaction():
        db.put([_doc('t', 1), _doc('t', 2)])
        db.delete([db.Key.from_path('Doc', 't'), db.Key.from_path('Doc', 't')])
        _doc('t', 3).put()
        return Doc.get_by_key_name('a').n
    observe.error('transaction_duplicates', db.run_in_transaction, duplicates_in_transaction)
    observe('after_transaction_duplicates', _stored())

    def two_groups():
        _doc('g1', 1).put()
        _doc('g2', 1).put()
    observe.error('non_xg_two_puts', db.run_in_transaction, two_groups)
    observe('after_non_xg_two_puts', _stored())
    observe.error('non_xg_two_gets', db.run_in_transaction,
                  lambda: [Doc.get_by_key_name('a'), Doc.get_by_key_name('zz')])
    observe.error('non_xg_get_then_put', db.run_in_transaction,
                  lambda: (Doc.get_by_key_name('a'), _doc('g3', 1).put()))
    observe.error('non_xg_batch_put', db.run_in_transaction, lambda: len(db.put([_doc('g4'), _doc('g5')])))
    observe.error('non_xg_same_group', db.run_in_transaction,
                  lambda: len(db.put([_doc('p', 1), Doc(key_name='child', parent=db.Key.from_path('Doc', 'p'),
                                                        n=2)])))
    observe('after_non_xg', _stored())
    observe.error('non_xg_ancestor_query_then_get', db.run_in_transaction, lambda: (
        len(Doc.all().ancestor(db.Key.from_path('Doc', 'p')).fetch(5)), Doc.get_by_key_name('a')))
    observe.error('non_xg_ancestor_query_same_group', db.run_in_transaction, lambda: (
        len(Doc.all().ancestor(db.Key.from_path('Doc', 'p')).fetch(5)), Doc.get_by_key_name('p').n))
    observe.error('non_xg_two_ancestor_counts', db.run_in_transaction, lambda: (
        Doc.all().ancestor(db.Key.from_path('Doc', 'p')).count(), Doc.all().ancestor(
            db.Key.from_path('Doc', 'a')).count()))
    observe.error('non_xg_new_root_entities', db.run_in_transaction, lambda: [Doc(n=7).put(), Doc(n=8).put()])
    observe('after_new_roots', _stored())
    for groups in (2, 25, 26):
        observe.error('xg_%d_groups' % groups, db.run_in_transaction_options, XG,
                      lambda: len(db.put([_doc('x%d_%d' % (groups, i), i) for i in range(groups)])))
    observe('after_xg', len(_stored()))
    observe.error('xg_26_gets', db.run_in_transaction_options, XG,
                  lambda: len(db.get([db.Key.from_path('Doc', 'r%d' % i) for i in range(26)])))
    observe.error('decorated_non_xg', db.transactional(lambda: (_doc('d1').put(), _doc('d2').put())))
    observe.error('decorated_xg', db.transactional(xg=True)(lambda: len([_doc('d3').put(), _doc('d4').put()])))
    observe('after_decorated', _stored())

    observe.error('big_blob', lambda: _doc('big', blob=b'x' * BIG).put())
    observe.error('big_text', lambda: _doc('big', text='x' * BIG).put())
    observe.error('blob_just_under', lambda: _doc('under', blob=b'x' * 1000000).put().name())
    observe.error('two_halves', lambda: _doc('halves', blob=b'x' * 600000, text='y' * 600000).put())
    observe.error('big_in_batch', lambda: db.put([_doc('small'), _doc('big', blob=b'x' * BIG)]))
    observe.error('big_in_transaction', db.run_in_transaction, lambda: _doc('big', blob=b'x' * BIG).put())
    observe.error('batch_of_big_halves', lambda: len(db.put([_doc('h1', blob=b'x' * 600000),
                                                             _doc('h2', blob=b'x' * 600000)])))
    bag = Bag(key_name='bag')
    for i in range(3):
        setattr(bag, 'p%d' % i, db.Text('x' * 400000))
    observe.error('big_expando', bag.put)
    observe('after_big', [_stored(), Bag.all().count()])
    db.delete([db.Key.from_path('Doc', name) for name in ('under', 'h1', 'h2', 'small')])  # a small @stored
