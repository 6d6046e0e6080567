"""Family 7: validation legacy did: newlines in StringProperty, RatingProperty bounds, 64-bit ints."""
from google.appengine.ext import db


class Review(db.Model):
    title = db.StringProperty()
    body = db.StringProperty(multiline=True)
    stars = db.RatingProperty()
    views = db.IntegerProperty()


def run(observe):
    observe.error('newline', Review, title='two\nlines')
    observe.error('multiline_ok', lambda: Review(body='two\nlines').body)
    observe.error('rating_ok', lambda: Review(stars=100).stars)
    observe.error('rating_high', Review, stars=101)
    observe.error('rating_negative', Review, stars=-1)
    observe.error('int_max', lambda: Review(views=2 ** 63 - 1).views)
    observe.error('int_too_big', Review, views=2 ** 63)
    observe.error('int_too_small', Review, views=-2 ** 63 - 1)
    r = Review(title='ok')
    observe.error('assign_newline', setattr, r, 'title', 'a\nb')
    observe('title_after', r.title)
