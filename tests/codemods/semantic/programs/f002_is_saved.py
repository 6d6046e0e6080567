"""Family 2: entity.is_saved() before and after put, and in a helper deciding insert vs update."""
from google.appengine.ext import db


class Note(db.Model):
    text = db.StringProperty()


def save_note(note):
    created = not note.is_saved()
    note.put()
    return created


def run(observe):
    n = Note(text='a')
    observe('before', n.is_saved())
    observe('created', save_note(n))
    observe('after', n.is_saved())
    observe('second_save_created', save_note(n))
    named = Note(key_name='fixed', text='b')
    observe('named_before', named.is_saved())
    named.put()
    observe('named_after', named.is_saved())
