"""Legacy-mode date/time properties accept datetime operands in filters and GQL, as legacy did."""

import datetime

from compat import db


class Event(db.Model):
    day = db.DateProperty()
    at = db.TimeProperty()


def test_date_property_filters_accept_dates_and_datetimes(datastore):
    Event(day=datetime.date(2021, 3, 14), at=datetime.time(9, 30)).put()
    Event(day=datetime.date(2021, 3, 15), at=datetime.time(18, 0)).put()
    by_date = Event.all().filter("day =", datetime.date(2021, 3, 14)).fetch(10)
    by_datetime = Event.all().filter("day =", datetime.datetime(2021, 3, 14)).fetch(10)
    by_gql = db.GqlQuery("SELECT * FROM Event WHERE day = DATE(2021, 3, 14)").fetch(10)
    assert [e.day for e in by_date] == [e.day for e in by_datetime] == [e.day for e in by_gql] \
        == [datetime.date(2021, 3, 14)]
    later = db.GqlQuery("SELECT * FROM Event WHERE at > TIME(12, 0, 0)").fetch(10)
    assert [e.at for e in later] == [datetime.time(18, 0)]
    assert [e.at for e in Event.all().filter("at <", datetime.time(12, 0)).fetch(10)] == [datetime.time(9, 30)]
