"""Sweep: the arguments of query, batch, id-allocation and transaction calls x hostile values."""
from google.appengine.ext import db


class Row(db.Model):
    n = db.IntegerProperty()


VALUES = [('none', None), ('zero', 0), ('one', 1), ('negative', -1), ('big', 2 ** 31), ('huge', 2 ** 64),
          ('true', True), ('float', 1.5), ('str', '5'), ('empty_str', ''), ('list', [1]), ('tuple', ('n',)),
          ('object', object())]


# Calls the legacy stub never returns from (an endless run of empty batches).
LOOPS = {('run_prefetch_size', 'zero')}


def _ns(results):
    return sorted(row.n for row in results)


def run(observe):
    db.put([Row(key_name='r%d' % n, n=n) for n in range(4)])
    query = Row.all().order('n')
    calls = [
        ('fetch_limit', lambda v: _ns(Row.all().fetch(v))),
        ('fetch_offset', lambda v: _ns(Row.all().fetch(10, offset=v))),
        ('run_limit', lambda v: _ns(Row.all().run(limit=v))),
        ('run_batch_size', lambda v: _ns(Row.all().run(batch_size=v))),
        ('run_prefetch_size', lambda v: _ns(Row.all().run(prefetch_size=v))),
        ('run_keys_only', lambda v: len(list(Row.all().run(keys_only=v)))),
        ('run_projection', lambda v: len(list(Row.all().run(projection=v)))),
        ('count_limit', lambda v: Row.all().count(v)),
        ('count_offset', lambda v: Row.all().count(offset=v)),
        ('get_offset', lambda v: Row.all().order('n').get(offset=v).n),
        ('deadline', lambda v: _ns(Row.all().fetch(10, deadline=v))),
        ('read_policy', lambda v: _ns(Row.all().fetch(10, read_policy=v))),
        ('index', lambda v: query[v].n),
        ('slice_stop', lambda v: _ns(query[0:v])),
        ('query_keys_only', lambda v: len(db.Query(Row, keys_only=v).fetch(10))),
        ('query_namespace', lambda v: len(db.Query(Row, namespace=v).fetch(10))),
        ('query_projection', lambda v: len(db.Query(Row, projection=v).fetch(10))),
        ('query_distinct', lambda v: len(db.Query(Row, projection=('n',), distinct=v).fetch(10))),
        ('allocate_ids_size', lambda v: type(db.allocate_ids(db.Key.from_path('Row', 1), v)).__name__),
        ('allocate_id_range_start', lambda v: db.allocate_id_range(db.Key.from_path('Row', 1), v, 10)),
        ('transaction_retries', lambda v: db.run_in_transaction_custom_retries(v, lambda: 'done')),
        ('options_xg', lambda v: db.run_in_transaction_options(db.create_transaction_options(xg=v), lambda: 1)),
        ('options_retries', lambda v: db.run_in_transaction_options(db.create_transaction_options(retries=v),
                                                                    lambda: 1)),
        ('config_deadline', lambda v: type(db.create_config(deadline=v)).__name__),
        ('get_deadline', lambda v: db.get(db.Key.from_path('Row', 'r1'), deadline=v).n),
        ('put_deadline', lambda v: db.put(Row(key_name='p', n=9), deadline=v).name()),
        ('ancestor', lambda v: _ns(Row.all().ancestor(v))),
        ('key_filter', lambda v: _ns(Row.all().filter('__key__ >', v))),
    ]
    # Sizes the legacy stub would honour by looping (allocating, skipping or retrying billions of times).
    slow = {'allocate_ids_size', 'allocate_id_range_start', 'transaction_retries', 'options_retries', 'count_limit',
            'count_offset', 'fetch_offset', 'get_offset', 'index', 'slice_stop'}
    for call_label, call in calls:
        for value_label, value in VALUES:
            if call_label in slow and value_label in ('big', 'huge') or (call_label, value_label) in LOOPS:
                continue
            observe.error('%s/%s' % (call_label, value_label), call, value)
    observe.error('get_unknown_keyword', lambda: db.get(db.Key.from_path('Row', 'r1'), bogus=1))
    observe.error('put_unknown_keyword', lambda: db.put(Row(n=1), bogus=1))
    observe.error('fetch_unknown_keyword', lambda: Row.all().fetch(1, bogus=1))
    observe.error('transaction_options_unknown', lambda: db.create_transaction_options(bogus=1))
    observe.error('config_unknown', lambda: db.create_config(bogus=1))
