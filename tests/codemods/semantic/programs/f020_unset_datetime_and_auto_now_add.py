"""Family 7: unset datetimes read back None, auto_now_add not overwritten by later puts."""
import datetime

from google.appengine.ext import db


class Doc(db.Model):
    created = db.DateTimeProperty(auto_now_add=True)
    reviewed = db.DateTimeProperty()


def run(observe):
    d = Doc(key_name='d')
    d.put()
    first = d.created
    back = Doc.get_by_key_name('d')
    observe('reviewed', back.reviewed)
    back.reviewed = datetime.datetime(2014, 1, 1)
    back.put()
    again = Doc.get_by_key_name('d')
    observe('created_kept', again.created == first)
    observe('reviewed_set', again.reviewed)
