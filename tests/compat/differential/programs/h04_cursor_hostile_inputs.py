"""Sweep: every cursor entry point x cursors from URLs (valid, mangled, garbage, wrong types)."""
from google.appengine.ext import db


class Item(db.Model):
    n = db.IntegerProperty()


def _ns(results):
    return [item.n for item in results]


def run(observe):
    db.put([Item(key_name='i%d' % n, n=n) for n in range(6)])
    query = Item.all().order('n')
    observe('first_page', _ns(query.fetch(2)))
    cursor = query.cursor()
    observe('cursor_type', type(cursor).__name__)
    text = cursor.decode('ascii') if isinstance(cursor, bytes) else cursor
    key_string = str(db.Key.from_path('Item', 'i1'))
    inputs = [
        ('valid_bytes', cursor),
        ('valid_str', text),
        ('truncated_4', text[:-8] + text[-4:]),
        ('truncated_1', text[:-1]),
        ('leading_spaces', '    ' + text),
        ('garbage', 'garbage'),
        ('garbage_padded', 'garbage='),
        ('empty', ''),
        ('empty_bytes', b''),
        ('blank', '    '),
        ('none', None),
        ('int', 5),
        ('list', [text]),
        ('key_string', key_string + '=' * (-len(key_string) % 4)),
        ('unicode', '\u00e9\u00e9\u00e9\u00e9'),
        ('percent', '%%%'),
        ('zeros', 'AAAA'),
        ('long_zeros', 'A' * 20000),
        ('cursor_object', db.websafe_decode_cursor(cursor)),
    ]
    for label, value in inputs:
        observe.error('with_cursor_start/' + label, lambda: _ns(Item.all().order('n').with_cursor(value).fetch(10)))
        observe.error('with_cursor_end/' + label,
                      lambda: _ns(Item.all().order('n').with_cursor(None, value).fetch(10)))
        observe.error('gql_with_cursor/' + label,
                      lambda: _ns(db.GqlQuery('SELECT * FROM Item ORDER BY n').with_cursor(value).fetch(10)))
        observe.error('query_cursor_argument/' + label,
                      lambda: _ns(db.Query(Item, cursor=value).order('n').fetch(10)))
        observe.error('count_from/' + label, lambda: Item.all().order('n').with_cursor(value).count())
        observe.error('decode/' + label, lambda: type(db.websafe_decode_cursor(value)).__name__)
        observe.error('run_start_cursor/' + label, lambda: _ns(Item.all().order('n').run(start_cursor=value)))
        observe.error('fetch_end_cursor/' + label, lambda: _ns(Item.all().order('n').fetch(10, end_cursor=value)))
        observe.error('run_decoded_start/' + label,
                      lambda: _ns(Item.all().order('n').run(start_cursor=db.websafe_decode_cursor(value))))
        observe.error('fetch_decoded_end/' + label,
                      lambda: _ns(Item.all().order('n').fetch(10, end_cursor=db.websafe_decode_cursor(value))))
    observe.error('encode_str', db.websafe_encode_cursor, text)
    observe.error('encode_cursor', lambda: type(db.websafe_encode_cursor(db.websafe_decode_cursor(cursor))).__name__)
    observe.error('cursor_before_run', lambda: Item.all().cursor())
    in_query = Item.all().filter('n IN', [1, 2])
    observe('in_results', sorted(_ns(in_query)))
    observe.error('in_cursor', in_query.cursor)
    observe.error('in_with_cursor', lambda: _ns(Item.all().filter('n IN', [1, 2]).with_cursor(cursor).fetch(5)))
    counted = Item.all().order('n')
    observe('count', counted.count(limit=3))
    observe.error('after_count', lambda: _ns(Item.all().order('n').with_cursor(counted.cursor()).fetch(10)))
    paged, seen, next_cursor = 0, [], None
    while paged < 5:
        page_query = Item.all().order('n')
        if next_cursor is not None:
            page_query.with_cursor(next_cursor)
        page = _ns(page_query.fetch(4))
        if not page:
            break
        seen.extend(page)
        next_cursor = page_query.cursor()
        paged += 1
    observe('paging', [paged, seen])
