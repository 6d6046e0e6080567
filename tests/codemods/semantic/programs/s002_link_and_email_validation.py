"""Link validation (scheme and host), empty Email, Category from non-str."""
from google.appengine.ext import db


class Site(db.Model):
    home = db.LinkProperty()
    owner = db.EmailProperty()
    kind_ = db.CategoryProperty()


def run(observe):
    observe.error('no_scheme', Site, home='example.com')
    observe.error('ftp_ok', lambda: Site(home='ftp://files.example.com/x').home)
    observe.error('empty_email', Site, owner='')
    observe.error('email_int', Site, owner=5)
    observe.error('category_int', Site, kind_=5)
