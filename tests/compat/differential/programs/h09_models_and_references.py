"""Model constructors, keys of instances and ReferenceProperty assignment at their edges."""
from google.appengine.ext import db


class Team(db.Model):
    name = db.StringProperty()


class Player(db.Model):
    name = db.StringProperty()
    nick = db.StringProperty(name='stored_nick')
    level = db.IntegerProperty(default=1)
    team = db.ReferenceProperty(Team)
    required = db.StringProperty(required=False)


class Strict(db.Model):
    needed = db.StringProperty(required=True)
    choice = db.StringProperty(choices=['a', 'b'])


def _describe(player):
    try:
        key = player.key()
    except db.NotSavedError:
        key = 'no key'
    return [player.name, player.nick, player.level, Player.team.get_value_for_datastore(player), key,
            player.parent_key()]


def run(observe):
    team = Team(key_name='red', name='Red')
    team.put()
    constructors = [
        ('plain', {'name': 'p'}),
        ('unknown_keyword', {'name': 'p', 'nmae': 'typo'}),
        ('stored_name', {'stored_nick': 'n'}),
        ('attribute_name', {'nick': 'n'}),
        ('key_name_and_key', {'key_name': 'a', 'key': db.Key.from_path('Player', 'a')}),
        ('key_other_kind', {'key': db.Key.from_path('Team', 'a')}),
        ('key_incomplete', {'key': db.Key.from_path('Player', 0)}),
        ('key_string', {'key': str(db.Key.from_path('Player', 'k'))}),
        ('key_tuple', {'key': ('Player', 'k')}),
        ('key_int', {'key': 5}),
        ('parent_model', {'parent': team}),
        ('parent_unsaved', {'parent': Team()}),
        ('parent_key', {'parent': team.key()}),
        ('parent_incomplete_key', {'parent': db.Key.from_path('Team', 0)}),
        ('parent_string', {'parent': str(team.key())}),
        ('parent_int', {'parent': 5}),
        ('key_name_empty', {'key_name': ''}),
        ('key_name_int', {'key_name': 5}),
        ('key_name_digits', {'key_name': '5'}),
        ('app_tuple_bad', {'_app': ('a',)}),
        ('team_key', {'team': team.key()}),
        ('team_string', {'team': str(team.key())}),
        ('team_int', {'team': 5}),
        ('team_unsaved', {'team': Team(name='new')}),
        ('team_wrong_kind', {'team': Player(key_name='x')}),
        ('team_none', {'team': None}),
        ('level_none', {'level': None}),
        ('class_keyword', {'class': 'x'}),
        ('reserved_keyword', {'__x__': 1}),
    ]
    for label, keywords in constructors:
        observe.error('construct/' + label, lambda: _describe(Player(**keywords)))
    for label, keywords in [('missing_required', {}), ('required_empty', {'needed': ''}),
                            ('bad_choice', {'needed': 'x', 'choice': 'c'}), ('ok', {'needed': 'x', 'choice': 'a'})]:
        observe.error('strict/' + label, lambda: Strict(**keywords).needed)
    player = Player(key_name='p', name='Pat', team=team)
    for label, value in [('key', team.key()), ('string', str(team.key())), ('int', 5), ('none', None),
                         ('unsaved', Team()), ('wrong_kind', Player(key_name='q')), ('list', [team])]:
        observe.error('assign_team/' + label, lambda: (setattr(player, 'team', value),
                                                       Player.team.get_value_for_datastore(player))[1])
    player.team = team
    player.put()
    observe('saved', [player.is_saved(), player.has_key(), player.key().name()])
    new = Player(name='new')
    observe('new', [new.is_saved(), new.has_key(), new.parent_key()])
    observe.error('new_key', new.key)
    observe('named_has_key', Player(key_name='n1').has_key())
    observe.error('delete_unsaved', lambda: db.delete(Player(name='x')))
    team.delete()
    observe.error('dangling', lambda: Player.get_by_key_name('p').team)
    observe('dangling_key', Player.team.get_value_for_datastore(Player.get_by_key_name('p')))
    observe('back_reference', [p.name for p in Team(key_name='red').player_set])
    observe('to_dict', sorted(db.to_dict(Player(name='d', nick='n')).items()))
    observe('properties', sorted(Player.properties()))
    observe.error('gql_syntax_error_class', lambda: db.GqlQuery('SELECT * FRM Player'))
    observe.error('put_non_model', db.put, [player, 'x'])
    observe.error('put_string', db.put, 'x')
    observe.error('put_generator', lambda: len(db.put(p for p in [Player(key_name='g')])))
