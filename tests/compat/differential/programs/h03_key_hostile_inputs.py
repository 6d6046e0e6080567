"""Sweep: every key constructor x hostile kinds, ids, names and encoded strings (Key.from_path,
get_by_id, get_by_key_name, db.Key(encoded), db.get / db.delete of the result)."""
import base64
import pickle

from google.appengine.ext import db


class Row(db.Model):
    n = db.IntegerProperty()


KINDS = [('kind', 'Row'), ('empty', ''), ('reserved', '__x__'), ('k1500', 'k' * 1500), ('k1501', 'k' * 1501),
         ('int', 5), ('none', None), ('bytes', b'Row'), ('accented', '\u00c9t\u00e9')]
IDS = [('zero', 0), ('negative', -1), ('one', 1), ('int64_max', 2 ** 63 - 1), ('int64_over', 2 ** 63),
       ('int64_min', -2 ** 63), ('int64_under', -2 ** 63 - 1), ('true', True), ('false', False), ('float', 1.5),
       ('none', None), ('empty', ''), ('name', 'n'), ('reserved', '__n__'), ('n1500', 'n' * 1500),
       ('n1501', 'n' * 1501), ('multibyte_1502', '\u00e9' * 751), ('bytes', b'n'), ('surrogate', 'a\ud800'),
       ('digits', '5'), ('slash', 'a/b')]


def _varint(number):
    number &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        if number:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _text(tag, value):
    data = value.encode('utf-8') if isinstance(value, str) else value
    return bytes([tag]) + _varint(len(data)) + data


def encode(app, elements, namespace=None):
    """A legacy key string (a v3 Reference, URL-safe base64 without padding) built by hand."""
    path = b''
    for kind, ident, name in elements:
        element = _text(0x12, kind)
        if ident is not None:
            element += b'\x18' + _varint(ident)
        if name is not None:
            element += _text(0x22, name)
        path += b'\x0b' + element + b'\x0c'
    data = _text(0x6a, app) + _text(0x72, path)
    if namespace is not None:
        data += b'\xa2\x01' + _varint(len(namespace)) + namespace.encode('utf-8')
    return base64.urlsafe_b64encode(data).decode('ascii').rstrip('=')


def _describe(key):
    return [key, key.id(), key.name(), key.has_id_or_name(), key.kind()]


def _pickled(key):
    back = pickle.loads(pickle.dumps(key))
    return [back == key, back.to_path(), back.namespace()]


def run(observe):
    # pickling keys: a complete key, a named key with a namespace, an empty db.Key()
    for label, key in [('complete', db.Key.from_path('Row', 1)),
                       ('named_ns', db.Key.from_path('Row', 'n', namespace='ns')), ('empty', db.Key())]:
        observe.error('pickle/' + label, _pickled, key)
    app = db.Key.from_path('Row', 1).app()
    Row(key_name='n', n=1).put()
    Row(key=db.Key.from_path('Row', 1), n=2).put()
    for kind_label, kind in KINDS:
        for id_label, ident in IDS:
            case = '%s/%s' % (kind_label, id_label)
            observe.error(case + '/from_path', lambda: _describe(db.Key.from_path(kind, ident)))
            observe.error(case + '/str', lambda: db.Key(str(db.Key.from_path(kind, ident))).to_path())
            observe.error(case + '/get', lambda: db.get(db.Key.from_path(kind, ident)))
    for id_label, ident in IDS:
        observe.error('get_by_id/' + id_label, Row.get_by_id, ident)
        observe.error('get_by_key_name/' + id_label, Row.get_by_key_name, ident)
        if id_label != 'reserved':  # the stub stores '__n__', production refuses it (listed in differences.md)
            observe.error('get_or_insert/' + id_label, lambda: Row.get_or_insert(ident).n)
        observe.error('constructor_key_name/' + id_label, lambda: Row(key_name=ident).key())
    for label, ids in [('list', [1, 2]), ('tuple', (1,)), ('set', {1}), ('generator', (i for i in [1])),
                       ('bytes', b'\x01'), ('with_zero', [1, 0]), ('with_negative', [1, -1]), ('empty', []),
                       ('mixed', [1, 'n'])]:
        observe.error('get_by_id_many/' + label, Row.get_by_id, ids)
    for label, names in [('list', ['n', 'x']), ('tuple', ('n',)), ('bytes', b'n'), ('empty', []),
                         ('with_empty', ['n', '']), ('mixed', ['n', 1])]:
        observe.error('get_by_key_name_many/' + label, Row.get_by_key_name, names)
    valid = str(db.Key.from_path('Row', 'n'))
    strings = [
        ('valid', valid),
        ('padded', valid + '=' * (-len(valid) % 4)),
        ('bytes', valid.encode('ascii')),
        ('leading_spaces', '    ' + valid),
        ('trailing_newlines', valid + '\n\n\n\n'),
        ('truncated', valid[:-3]),
        ('truncated_one', valid[:-1]),
        ('garbage', 'garbage'),
        ('empty', ''),
        ('blank', '   '),
        ('none', None),
        ('int', 5),
        ('unicode', 'agx\u00e9'),
        ('plus_slash', valid.replace('-', '+').replace('_', '/')),
        ('incomplete_id_zero', encode(app, [('Row', 0, None)])),
        ('incomplete_none', encode(app, [('Row', None, None)])),
        ('incomplete_empty_name', encode(app, [('Row', None, '')])),
        ('incomplete_parent', encode(app, [('Row', None, None), ('Row', 1, None)])),
        ('both_id_and_name', encode(app, [('Row', 5, 'n')])),
        ('negative_id', encode(app, [('Row', -5, None)])),
        ('huge_id', encode(app, [('Row', 2 ** 64 - 1, None)])),
        ('name_3000', encode(app, [('Row', None, 'n' * 3000)])),
        ('path_101', encode(app, [('Row', 1, None)] * 101)),
        ('path_100', encode(app, [('Row', 1, None)] * 100)),
        ('kind_empty', encode(app, [('', 1, None)])),
        ('kind_reserved', encode(app, [('__x__', 1, None)])),
        ('name_reserved', encode(app, [('Row', None, '__n__')])),
        ('namespace', encode(app, [('Row', 1, None)], 'ns')),
        ('namespace_bad', encode(app, [('Row', 1, None)], 'bad ns!')),
        ('no_path', base64.urlsafe_b64encode(_text(0x6a, app)).decode('ascii').rstrip('=')),
    ]
    for label, text in strings:
        observe.error('Key/%s' % label, lambda: _describe(db.Key(text)))
        observe.error('get/%s' % label, db.get, text)
        observe.error('get_list/%s' % label, db.get, [text])
        observe.error('delete/%s' % label, db.delete, text)
    observe('remaining', sorted((row.n for row in Row.all()), key=lambda n: (n is not None, n or 0)))
    for label, value in [('none', None), ('list_with_none', [None]), ('int', 5), ('bytes', valid.encode('ascii')),
                         ('model_unsaved', Row()), ('model_saved', Row.get_by_key_name('n')),
                         ('incomplete_key', db.Key.from_path('Row', 0)), ('generator', (k for k in [valid]))]:
        observe.error('get_any/' + label, db.get, value)
        observe.error('delete_any/' + label, db.delete, value)
    observe('remaining_after', sorted((row.n for row in Row.all()), key=lambda n: (n is not None, n or 0)))

