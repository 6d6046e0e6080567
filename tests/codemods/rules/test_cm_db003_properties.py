"""DB003 (property constructors)."""

from libcst.codemod import CodemodTest

from codemods.rules.db003_properties import PropertiesRule


class PropertiesTest(CodemodTest):
    TRANSFORM = PropertiesRule

    def test_first_positional_is_verbose_name_and_options(self) -> None:
        before = """
            from google.appengine.ext import db

            class Post(db.Model):
                title = db.StringProperty('Title', multiline=True, required=True)
                body = db.StringProperty(indexed=False)
                text = db.TextProperty()
                mail = db.EmailProperty()
                link = db.LinkProperty('Home page')
                stars = db.RatingProperty()
                raw = db.ByteStringProperty()
        """
        after = """
            from google.appengine.ext import db
            from compat import ndb_legacy
            from google.cloud import ndb

            class Post(db.Model):
                title = ndb_legacy.StringProperty(verbose_name='Title', multiline=True, required=True)
                body = ndb_legacy.StringProperty(indexed=False)
                text = ndb_legacy.TextProperty()
                mail = ndb_legacy.EmailProperty()
                link = ndb_legacy.LinkProperty(verbose_name='Home page')
                stars = ndb_legacy.RatingProperty()
                raw = ndb.BlobProperty(indexed=True)
        """
        self.assertCodemod(before, after)

    def test_lists_and_references(self) -> None:
        before = """
            import datetime
            from google.appengine.ext import db

            class Author(db.Model):
                pass

            class Post(db.Model):
                tags = db.StringListProperty()
                ids = db.ListProperty(int, default=[])
                when = db.ListProperty(datetime.date)
                refs = db.ListProperty(db.Key)
                notes = db.ListProperty(str, indexed=False)
                author = db.ReferenceProperty(Author, collection_name='posts')
                editor = db.ReferenceProperty(Author, 'Editor')
                parent_post = db.SelfReferenceProperty(collection_name='children')
        """
        after = """
            import datetime
            from google.appengine.ext import db
            from compat import ndb_legacy
            from google.cloud import ndb

            class Author(db.Model):
                pass

            class Post(db.Model):
                tags = ndb_legacy.StringListProperty()
                ids = ndb_legacy.ListProperty(int)
                when = ndb_legacy.ListProperty(datetime.date)
                refs = ndb_legacy.ListProperty(ndb.Key)
                notes = ndb_legacy.ListProperty(str, indexed=False)
                author = ndb_legacy.ReferenceProperty(kind=Author)
                editor = ndb_legacy.ReferenceProperty(kind=Author, verbose_name='Editor')
                parent_post = ndb_legacy.ReferenceProperty(kind='Post')
        """
        self.assertCodemod(before, after)

    def test_validators(self) -> None:
        before = """
            from google.appengine.ext import db

            def check(value):
                if not value:
                    raise db.BadValueError('empty')

            def clean(value):
                return value.strip()

            class Post(db.Model):
                a = db.StringProperty(validator=check)
                b = db.StringProperty(validator=clean)
        """
        after = """
            from google.appengine.ext import db
            from compat import ndb_legacy

            def check(value):
                if not value:
                    raise db.BadValueError('empty')

            def clean(value):
                return value.strip()

            class Post(db.Model):
                a = ndb_legacy.StringProperty(validator=lambda prop, value: check(value))
                # TODO(db2ndb:DB003): `validator=clean`: ndb calls validator(prop, value) and stores a non-None result instead of the value; adapt the signature. See docs/codemods.md#db003
                b = db.StringProperty(validator=clean)
        """
        self.assertCodemod(before, after)

    def test_list_defaults_and_required_kept_and_unknown_item_type_kept(self) -> None:
        before = """
            from google.appengine.ext import db

            class Post(db.Model):
                a = db.ListProperty(int, default=[1, 2], required=True)
                s = db.StringListProperty('Tags', default=['x'])
                b = db.ListProperty(item_kind)
        """
        after = """
            from google.appengine.ext import db
            from compat import ndb_legacy

            class Post(db.Model):
                a = ndb_legacy.ListProperty(int, default=[1, 2], required=True)
                s = ndb_legacy.StringListProperty('Tags', default=['x'])
                # TODO(db2ndb:DB003): `db.ListProperty(item_kind)`: unknown item type; use ndb_legacy.ListProperty(<type or ndb property class>). See docs/codemods.md#db003
                b = db.ListProperty(item_kind)
        """
        self.assertCodemod(before, after)

    def test_from_imported_names(self) -> None:
        before = """
            from google.appengine.ext.db import Model, StringProperty

            class Post(Model):
                title = StringProperty('Title')
        """
        after = """
            from google.appengine.ext.db import Model, StringProperty
            from compat import ndb_legacy

            class Post(Model):
                title = ndb_legacy.StringProperty(verbose_name='Title')
        """
        self.assertCodemod(before, after)


class MorePropertiesTest(CodemodTest):
    TRANSFORM = PropertiesRule

    def test_shim_timezone_options(self) -> None:
        before = """
            from compat import db
            from compat.tz import JST

            class Event(db.Model):
                at = db.DateTimeProperty(tzinfo=JST)
                seen = db.DateTimeProperty(tzinfo=JST, auto_now=True)
                old = db.DateTimeProperty(tzinfo=JST, stored_as=JST)
        """
        after = """
            from compat import db
            from compat.tz import JST
            from google.cloud import ndb

            class Event(db.Model):
                at = ndb.DateTimeProperty(tzinfo=JST)
                # TODO(db2ndb:DB003): with tzinfo=, ndb's auto_now/auto_now_add leave a naive utcnow() value on the instance until it is reloaded (python-ndb #517): do not compare it with aware datetimes before a reload. See docs/codemods.md#db003
                seen = ndb.DateTimeProperty(tzinfo=JST, auto_now=True)
                # TODO(db2ndb:DB003): `stored_as=` is a compat.tz extension ndb lacks: finish the data migration to UTC (compat-tz-migrate, docs/timezones.md) and drop it; ndb's DateTimeProperty takes only `tzinfo=`. See docs/codemods.md#db003
                old = db.DateTimeProperty(tzinfo=JST, stored_as=JST)
        """
        self.assertCodemod(before, after)

    def test_blob_reference_and_custom_property_classes(self) -> None:
        before = """
            from google.appengine.ext import blobstore, db

            class Upload(db.Model):
                file = blobstore.BlobReferenceProperty('File', required=True)

            class LowerProperty(db.StringProperty):
                def validate(self, value):
                    return value.lower()
        """
        after = """
            from google.appengine.ext import blobstore, db
            from google.cloud import ndb

            class Upload(db.Model):
                file = ndb.BlobKeyProperty(verbose_name='File', required=True)

            # TODO(db2ndb:DB003): custom property class LowerProperty: ndb properties override `_validate`, `_to_base_type` and `_from_base_type` instead of `validate` / `get_value_for_datastore` / `make_value_from_datastore`. See docs/codemods.md#db003
            class LowerProperty(ndb.StringProperty):
                def validate(self, value):
                    return value.lower()
        """
        self.assertCodemod(before, after)


class NonLiteralOptionsTest(CodemodTest):
    TRANSFORM = PropertiesRule

    def test_multiline_and_indexed_flags_pass_through(self) -> None:
        """ndb_legacy.StringProperty takes db's multiline= / indexed= values; Text and Blob are unindexed anyway."""
        before = """
            from google.appengine.ext import db

            FLAG = False

            class Post(db.Model):
                title = db.StringProperty(multiline=FLAG, indexed=FLAG)
                n = db.IntegerProperty(indexed=FLAG)
                body = db.TextProperty(indexed=False)
                blob = db.BlobProperty(indexed=FLAG)
        """
        after = """
            from google.appengine.ext import db
            from compat import ndb_legacy
            from google.cloud import ndb

            FLAG = False

            class Post(db.Model):
                title = ndb_legacy.StringProperty(multiline=FLAG, indexed=FLAG)
                n = ndb_legacy.IntegerProperty(indexed=FLAG)
                body = ndb_legacy.TextProperty()
                # TODO(db2ndb:DB003): `db.BlobProperty(indexed=FLAG)`: `indexed=` is not a literal; db stored BlobProperty values unindexed whatever it said, and so does ndb. See docs/codemods.md#db003
                blob = ndb.BlobProperty()
        """
        self.assertCodemod(before, after)


class PropertyOptionsTest(CodemodTest):
    TRANSFORM = PropertiesRule

    def test_options_read_from_a_property(self) -> None:
        before = """
            from google.appengine.ext import db

            class Article(db.Model):
                title = db.StringProperty('Title of the article')
                score = db.IntegerProperty(name='s', required=True)

            def labels(other):
                return Article.title.verbose_name, Article.score.name, Article.score.required, other.verbose_name
        """
        after = """
            from google.appengine.ext import db
            from compat import ndb_legacy

            class Article(db.Model):
                title = ndb_legacy.StringProperty(verbose_name='Title of the article')
                score = ndb_legacy.IntegerProperty(name='s', required=True)

            def labels(other):
                return Article.title._verbose_name, Article.score._name, Article.score._required, other.verbose_name
        """
        self.assertCodemod(before, after)
