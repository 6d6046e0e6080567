"""Reassigning references: entity, key, None; filtering by the referenced entity and by its key."""
from google.appengine.ext import db


class Team(db.Model):
    name = db.StringProperty()


class Player(db.Model):
    name = db.StringProperty()
    team = db.ReferenceProperty(Team)


def run(observe):
    red = Team(key_name='red', name='Red')
    blue = Team(key_name='blue', name='Blue')
    db.put([red, blue])
    p = Player(key_name='p', name='Pat', team=red)
    p.put()
    p.team = blue.key()
    p.put()
    observe('moved', Player.get_by_key_name('p').team.name)
    observe('by_entity', [x.name for x in Player.all().filter('team =', blue)])
    observe('by_key', [x.name for x in Player.all().filter('team =', blue.key())])
    p.team = None
    p.put()
    observe('cleared', Player.get_by_key_name('p').team)
    observe.error('assign_str', setattr, p, 'team', 'not a key')
