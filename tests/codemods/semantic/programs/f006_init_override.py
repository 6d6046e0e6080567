"""Family 2: an overridden __init__ calling db.Model.__init__ with legacy keywords."""
from google.appengine.ext import db


class Account(db.Model):
    email = db.StringProperty()
    nickname = db.StringProperty()

    def __init__(self, parent=None, key_name=None, _app=None, **kwds):
        if 'email' in kwds and 'nickname' not in kwds:
            kwds['nickname'] = kwds['email'].split('@')[0]
        if key_name is None and 'email' in kwds:
            key_name = 'acct:' + kwds['email']
        db.Model.__init__(self, parent=parent, key_name=key_name, _app=_app, **kwds)


def run(observe):
    a = Account(email='ann@example.com')
    observe('nickname', a.nickname)
    a.put()
    observe('key', a.key())
    b = Account.get_by_key_name('acct:ann@example.com')
    observe('loaded', b)
    c = Account(key_name='explicit', email='bob@example.com', nickname='Bobby')
    c.put()
    observe('explicit', c)
