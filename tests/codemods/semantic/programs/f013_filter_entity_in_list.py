"""Family 3: entities (not keys) in IN filters and in a list property value."""
from google.appengine.ext import db


class Group(db.Model):
    pass


class Member(db.Model):
    group = db.ReferenceProperty(Group)


def run(observe):
    g1, g2, g3 = Group(key_name='g1'), Group(key_name='g2'), Group(key_name='g3')
    db.put([g1, g2, g3])
    db.put([Member(key_name='m1', group=g1), Member(key_name='m2', group=g2), Member(key_name='m3', group=g3)])
    observe('in_entities', sorted(m.key().name() for m in Member.all().filter('group IN', [g1, g3])))
    observe('eq_entity_gql', [m.key().name() for m in Member.gql('WHERE group = :1', g2)])
