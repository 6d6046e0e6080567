"""Model.gql('WHERE ...') with parameters, IN, and bind() to reuse a query."""
from google.appengine.ext import db


class Movie(db.Model):
    genre = db.StringProperty()
    year = db.IntegerProperty()


def run(observe):
    db.put([Movie(key_name=n, genre=g, year=y) for n, g, y in (
        ('m1', 'drama', 1999), ('m2', 'comedy', 2004), ('m3', 'drama', 2010), ('m4', 'horror', 2001))])
    q = Movie.gql('WHERE genre = :1 ORDER BY year', 'drama')
    observe('drama', [m.key().name() for m in q])
    q.bind('comedy')
    observe('rebound', [m.key().name() for m in q])
    q = Movie.gql('WHERE genre IN :1 ORDER BY year DESC', ['drama', 'horror'])
    observe('in', [m.key().name() for m in q])
    observe('literal', [m.key().name() for m in Movie.gql("WHERE genre = 'horror'")])
