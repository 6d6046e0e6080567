"""Expando constructor keywords become dynamic properties; fixed ones are validated."""
from google.appengine.ext import db


class Profile(db.Expando):
    name = db.StringProperty(required=True)


def run(observe):
    p = Profile(key_name='p', name='Ann', city='Oslo', age=30)
    p.put()
    back = Profile.get_by_key_name('p')
    observe('dynamic', sorted(back.dynamic_properties()))
    observe('city', back.city)
    observe.error('fixed_validated', Profile, name=5)
    observe.error('missing_required', Profile, city='x')
    observe('filter_dynamic', [x.name for x in Profile.all().filter('city =', 'Oslo')])
