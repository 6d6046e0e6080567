"""An app base class over db.Model with shared properties and helpers, subclassed by two models."""
import datetime

from google.appengine.ext import db


class BaseModel(db.Model):
    created = db.DateTimeProperty()
    owner = db.StringProperty()

    def touch(self, when):
        self.created = when
        return self

    @classmethod
    def for_owner(cls, owner):
        return cls.all().filter('owner =', owner)


class Photo(BaseModel):
    url = db.StringProperty()


class Album(BaseModel):
    title = db.StringProperty()


def run(observe):
    t = datetime.datetime(2012, 2, 2)
    db.put([Photo(key_name='p', owner='ann', url='x.jpg').touch(t), Album(key_name='a', owner='ann', title='Trip').touch(t)])
    observe('photos', [p.url for p in Photo.for_owner('ann')])
    observe('albums', [a.title for a in Album.for_owner('ann')])
    observe('kinds', (Photo.kind(), Album.kind()))
    observe('props', sorted(Photo.properties()))
