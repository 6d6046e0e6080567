"""RatingProperty: 0-100, stored as int, Rating type."""
from google.appengine.ext import db


class Movie(db.Model):
    rating = db.RatingProperty()


def run(observe):
    Movie(key_name='m', rating=db.Rating(87)).put()
    back = Movie.get_by_key_name('m')
    observe('rating', back.rating)
    observe('filter', [x.key().name() for x in Movie.all().filter('rating >', 50)])
    observe.error('bad', db.Rating, 150)
    observe.error('plain_int_ok', lambda: Movie(rating=0).rating)
    observe.error('plain_int_high', Movie, rating=101)
