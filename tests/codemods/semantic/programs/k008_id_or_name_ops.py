"""Key accessors on allocated and named keys; a key with no id; app() is a string."""
from google.appengine.ext import db


class Ticket(db.Model):
    subject = db.StringProperty()


def run(observe):
    t = Ticket(subject='x')
    k = t.put()
    observe('has', k.has_id_or_name())
    observe('name_is_none', k.name() is None)
    observe('id_is_int', isinstance(k.id(), int))
    named = db.Key.from_path('Ticket', 'alpha')
    observe('named', (named.id(), named.name(), named.id_or_name()))
    observe('app_is_str', isinstance(k.app(), str))
    observe('lookup_by_id', Ticket.get_by_id(k.id()).subject)
