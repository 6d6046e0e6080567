"""DB014 (time zones): replace(tzinfo=<pytz zone>) and aware DateTimeProperty modules."""

from libcst.codemod import CodemodTest

from codemods.rules.db014_timezones import TimezonesRule


class TimezonesTest(CodemodTest):
    TRANSFORM = TimezonesRule

    def test_replace_tzinfo_with_a_pytz_zone_becomes_localize(self) -> None:
        before = """
            import datetime
            import pytz
            JST = pytz.timezone('Asia/Tokyo')
            a = dt.replace(tzinfo=JST)
            b = dt.replace(hour=9, tzinfo=pytz.timezone('Europe/Paris'))
            c = datetime.datetime(2020, 1, 1, tzinfo=JST)
            d = dt.replace(tzinfo=pytz.utc)
            e = dt.replace(tzinfo=datetime.timezone.utc)
        """
        after = """
            import datetime
            import pytz
            JST = pytz.timezone('Asia/Tokyo')
            a = JST.localize(dt)
            b = pytz.timezone('Europe/Paris').localize(dt.replace(hour=9))
            c = JST.localize(datetime.datetime(2020, 1, 1))
            d = dt.replace(tzinfo=pytz.utc)
            e = dt.replace(tzinfo=datetime.timezone.utc)
        """
        self.assertCodemod(before, after)

    def test_datetime_property_in_aware_module_needs_no_todo(self) -> None:
        # DB003 makes it ndb_legacy.DateTimeProperty, which stores aware values as UTC like db did
        before = """
            import pytz
            from google.appengine.ext import db

            class Event(db.Model):
                at = db.DateTimeProperty()
        """
        self.assertCodemod(before, before)
