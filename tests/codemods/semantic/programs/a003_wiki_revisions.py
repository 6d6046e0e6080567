"""Wiki pages with revisions as children: latest revision by ancestor query, history count."""
from google.appengine.ext import db


class Page(db.Model):
    title = db.StringProperty()


class Revision(db.Model):
    number = db.IntegerProperty()
    content = db.TextProperty()


def save(title, content):
    page = Page.get_or_insert(title, title=title)
    last = Revision.all().ancestor(page).order('-number').get()
    number = last.number + 1 if last else 1
    Revision(parent=page, number=number, content=content).put()
    return number


def run(observe):
    observe('r1', save('Home', 'hello'))
    observe('r2', save('Home', 'hello world'))
    observe('other', save('About', 'us'))
    home = Page.get_by_key_name('Home')
    observe('latest', Revision.all().ancestor(home).order('-number').get().content)
    observe('history', [r.number for r in Revision.all().ancestor(home).order('number')])
