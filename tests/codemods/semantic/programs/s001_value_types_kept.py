"""Legacy value types: Email/Link/Category/PhoneNumber/PostalAddress/IM/GeoPt read back as their db types."""
from google.appengine.ext import db


class Lead(db.Model):
    email = db.EmailProperty()
    url = db.LinkProperty()
    cat = db.CategoryProperty()
    phone = db.PhoneNumberProperty()
    addr = db.PostalAddressProperty()
    where = db.GeoPtProperty()


def run(observe):
    Lead(key_name='l', email='x@y.com', url='http://a.b/', cat='hot', phone='555', addr='Street 1',
         where=db.GeoPt(1.5, 2.5)).put()
    back = Lead.get_by_key_name('l')
    observe('types', [type(getattr(back, n)).__name__ for n in ('email', 'url', 'cat', 'phone', 'addr', 'where')])
    observe('isinstance_email', isinstance(back.email, db.Email))
    observe('geopt_str', str(back.where))
