"""Wrong value types for every scalar property: BadValueError at construction and at assignment."""
import datetime

from google.appengine.ext import db


class Form(db.Model):
    s = db.StringProperty()
    i = db.IntegerProperty()
    f = db.FloatProperty()
    b = db.BooleanProperty()
    d = db.DateTimeProperty()
    k = db.ReferenceProperty()


def run(observe):
    observe.error('str_int', Form, s=5)
    observe.error('int_str', Form, i='5')
    observe.error('float_str', Form, f='1.5')
    observe.error('bool_str', Form, b='yes')
    observe.error('datetime_str', Form, d='2012-01-01')
    observe.error('datetime_int', Form, d=0)
    f = Form()
    observe.error('assign_list', setattr, f, 's', ['a'])
    observe.error('assign_dict', setattr, f, 'i', {})
    observe('untouched', (f.s, f.i))
