"""Email, Link, Category properties: value types, validation of links, filters by plain strings."""
from google.appengine.ext import db


class Contact(db.Model):
    email = db.EmailProperty()
    site = db.LinkProperty()
    group = db.CategoryProperty()


def run(observe):
    c = Contact(key_name='c', email=db.Email('a@b.com'), site=db.Link('http://example.com/'), group=db.Category('work'))
    c.put()
    back = Contact.get_by_key_name('c')
    observe('values', (back.email, back.site, back.group))
    observe('types', (type(back.email).__name__, type(back.site).__name__, type(back.group).__name__))
    observe('is_email', isinstance(back.email, db.Email))
    observe('filter', [x.key().name() for x in Contact.all().filter('group =', 'work')])
    observe.error('bad_link', Contact, site='not a url')
    observe.error('plain_str_email', lambda: Contact(email='x@y.z').email)
