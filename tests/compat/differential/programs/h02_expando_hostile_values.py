"""Sweep: an Expando's dynamic property x the same table of hostile values (assignment, put, read back,
and the stored value's type)."""
import datetime

from google.appengine.api import users
from google.appengine.ext import db


class Target(db.Model):
    name = db.StringProperty()


class Bag(db.Expando):
    label = db.StringProperty()


UTC = datetime.timezone.utc


def hostile_values():
    """(label, value) pairs; built fresh for each property."""
    return [
        ('none', None),
        ('empty_str', ''),
        ('str', 'abc'),
        ('newline_str', 'a\nb'),
        ('surrogate_str', 'a\ud800b'),
        ('str_1500', 'x' * 1500),
        ('str_1501', 'x' * 1501),
        ('multibyte_1502_bytes', '\u00e9' * 751),
        ('str_1mib', 'x' * (1 << 20)),
        ('url', 'http://example.com/path'),
        ('email_like', 'a@example.com'),
        ('im_like', 'xmpp someone@example.com'),
        ('geopt_like', '35.5,139.5'),
        ('bytes', b'abc'),
        ('bytes_non_utf8', b'\xff\xfe'),
        ('bytes_1501', b'x' * 1501),
        ('bytes_1mib', b'x' * (1 << 20)),
        ('bytearray', bytearray(b'abc')),
        ('zero', 0),
        ('one', 1),
        ('negative', -1),
        ('int64_max', 2 ** 63 - 1),
        ('int64_over', 2 ** 63),
        ('int64_min', -2 ** 63),
        ('int64_under', -2 ** 63 - 1),
        ('true', True),
        ('false', False),
        ('float', 1.5),
        ('float_zero', 0.0),
        ('nan', float('nan')),
        ('inf', float('inf')),
        ('neg_inf', float('-inf')),
        ('empty_list', []),
        ('int_list', [1, 2]),
        ('big_int_list', [1, 2 ** 64]),
        ('str_list', ['a', 'b']),
        ('mixed_list', [1, 'a']),
        ('none_list', [None]),
        ('empty_tuple', ()),
        ('tuple', (1, 2)),
        ('empty_dict', {}),
        ('datetime', datetime.datetime(2020, 1, 2, 3, 4, 5, 6)),
        ('aware_datetime', datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ('date', datetime.date(2020, 1, 2)),
        ('time', datetime.time(3, 4, 5)),
        ('key', db.Key.from_path('Target', 'k')),
        ('other_kind_key', db.Key.from_path('Holder', 'h')),
        ('key_list', [db.Key.from_path('Target', 'k')]),
        ('text', db.Text('long text')),
        ('blob', db.Blob(b'raw')),
        ('bytestring', db.ByteString(b'raw')),
        ('email', db.Email('a@example.com')),
        ('link', db.Link('http://example.com/')),
        ('category', db.Category('tag')),
        ('phone', db.PhoneNumber('555')),
        ('address', db.PostalAddress('1 Road')),
        ('rating', db.Rating(50)),
        ('im', db.IM('xmpp', 'someone@example.com')),
        ('geopt', db.GeoPt(1.5, 2.5)),
        ('nan_geopt', db.GeoPt(float('nan'), 0)),
        ('user', users.User('a@example.com')),
        ('saved_target', Target.get_by_key_name('saved')),
        ('unsaved_target', Target(name='new')),
        ('object', object()),
    ]


def run(observe):
    Target(key_name='saved', name='saved').put()
    for label, value in hostile_values():
        made = []
        observe.error(label + '/assign', _assign, made, label, value)
        if not made:
            observe(label + '/stored', 'not assigned')
            continue
        observe.error(label + '/stored', _put_and_read, made[0])
    for name in ('__x__', '__key__', 'key_name', 'put', 'kind', '_private', 'label', 'dynamic'):
        observe.error('name/%s/setattr' % name, _set_named, name)
        observe.error('name/%s/constructor' % name, lambda: sorted(Bag(**{name: 1}).dynamic_properties()))


def _short(value):
    """A long string or byte string as its type, length and first characters (keeps the golden small)."""
    if isinstance(value, (str, bytes)) and len(value) > 64:
        return ['long', type(value).__name__ if type(value) in (str, bytes) else 'subclass', len(value), value[:8]]
    if isinstance(value, list):
        return [_short(item) for item in value]
    return value


def _assign(made, label, value):
    bag = Bag(key_name=label)
    bag.dynamic = value
    made.append(bag)
    return _short(bag.dynamic)


def _put_and_read(bag):
    key = bag.put()
    loaded = db.get(key)
    value = getattr(loaded, 'dynamic', 'absent')
    db.delete(key)  # keeps the final @stored observation small; the value read back is what is compared
    return [_short(value), type(value).__name__]


def _set_named(name):
    bag = Bag()
    setattr(bag, name, 1)
    return sorted(bag.dynamic_properties())
