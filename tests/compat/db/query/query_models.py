"""Models shared by the query tests (kinds prefixed with Q so they clash with no other test)."""

import datetime

from compat import db
from compat.db import polymodel


class QAuthor(db.Model):
    name = db.StringProperty()
    rank = db.IntegerProperty()


class QStory(db.Model):
    title = db.StringProperty()
    n = db.IntegerProperty()
    score = db.FloatProperty()
    flag = db.BooleanProperty()
    tags = db.StringListProperty()
    nums = db.ListProperty(int)
    author = db.ReferenceProperty(QAuthor, collection_name="stories")
    published = db.DateTimeProperty()
    day = db.DateProperty()
    at = db.TimeProperty()
    body = db.TextProperty()
    note = db.StringProperty(indexed=False)
    renamed = db.StringProperty(name="stored_name")
    place = db.GeoPtProperty()
    owner = db.UserProperty()
    days = db.ListProperty(datetime.date)


class QBag(db.Expando):
    label = db.StringProperty()


class QAnimal(polymodel.PolyModel):
    name = db.StringProperty()


class QCat(QAnimal):
    lives = db.IntegerProperty()


class QDog(QAnimal):
    pass


BASE_TIME = datetime.datetime(2020, 1, 1, 12, 0, 0)


def make_stories(count=10, author=None):
    """``count`` stored QStory entities with n = 0..count-1 and predictable values; returns them in n order."""
    stories = []
    for i in range(count):
        stories.append(QStory(
            key_name="s%04d" % i,
            title="title %d" % i,
            n=i,
            score=i / 2.0,
            flag=bool(i % 2),
            tags=["even" if i % 2 == 0 else "odd", "t%d" % (i % 3)],
            nums=[i, i * 10],
            author=author,
            published=BASE_TIME + datetime.timedelta(days=i),
            day=(BASE_TIME + datetime.timedelta(days=i)).date(),
            at=datetime.time(i % 24, 30),
            body="body %d" % i,
            note="note %d" % i,
            stored_name="r%d" % i,
            place=db.GeoPt(i % 90, i % 90),
            days=[datetime.date(2020, 1, 1) + datetime.timedelta(days=i)],
        ))
    for start in range(0, count, 500):  # at most 500 mutations per commit
        db.put(stories[start:start + 500])
    return stories


def ns(results):
    """The ``n`` of each result, in order."""
    return [story.n for story in results]
