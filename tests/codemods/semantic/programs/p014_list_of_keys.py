"""ListProperty(db.Key): lists of keys, filter by one key, get() them."""
from google.appengine.ext import db


class Member(db.Model):
    name = db.StringProperty()


class Team(db.Model):
    members = db.ListProperty(db.Key)


def run(observe):
    keys = db.put([Member(key_name=n, name=n.title()) for n in ('ann', 'bob', 'cid')])
    Team(key_name='red', members=keys[:2]).put()
    Team(key_name='blue', members=keys[1:]).put()
    observe('with_bob', sorted(t.key().name() for t in Team.all().filter('members =', keys[1])))
    red = Team.get_by_key_name('red')
    observe('members', red.members)
    observe('names', [m.name for m in db.get(red.members)])
    observe.error('entity_in_list', lambda: Team(members=[Member.get_by_key_name('ann')]).members)
