"""google.appengine.ext.db.metadata and .stats: the behaviours the legacy SDK's own metadata_test and
stats_test check, on data this program writes (namespaces, kinds, properties, representations, key
helpers, entity-group versions; every statistic model, which no datastore computes here)."""
from google.appengine.api import namespace_manager
from google.appengine.ext import db
from google.appengine.ext.db import metadata, stats


class Foo(db.Expando):
    pass


class Bar(db.Model):
    str = db.StringProperty()
    data = db.StringProperty(indexed=False)


class Baz(db.Expando):
    pass


STAT_MODELS = [
    'GlobalStat', 'NamespaceStat', 'KindStat', 'KindRootEntityStat', 'KindNonRootEntityStat', 'PropertyTypeStat',
    'KindPropertyTypeStat', 'KindPropertyNameStat', 'KindPropertyNamePropertyTypeStat', 'KindCompositeIndexStat',
    'NamespaceGlobalStat', 'NamespaceKindStat', 'NamespaceKindRootEntityStat', 'NamespaceKindNonRootEntityStat',
    'NamespacePropertyTypeStat', 'NamespaceKindPropertyTypeStat', 'NamespaceKindPropertyNameStat',
    'NamespaceKindPropertyNamePropertyTypeStat', 'NamespaceKindCompositeIndexStat',
]


def run(observe):
    for namespace in ('ns1', 'fun', ''):
        namespace_manager.set_namespace(namespace)
        Foo(num=1, data=None).put()
        Bar(str='yeah', data='gasp!').put()
        Baz(fun=True).put()
        Baz(fun='string').put()
    namespace_manager.set_namespace('')

    observe('namespaces', [n.namespace_name for n in metadata.Namespace.all().fetch(100)])
    observe('empty_namespace_key', metadata.Namespace.key_for_namespace('').to_path())
    observe('namespace_key', metadata.Namespace.key_for_namespace('ns1'))
    observe('empty_namespace_id', metadata.Namespace.EMPTY_NAMESPACE_ID)
    observe('namespace_eq_empty', [n.namespace_name for n in metadata.Namespace.all().filter(
        '__key__ =', metadata.Namespace.key_for_namespace(''))])
    observe('namespace_gt_empty', [n.namespace_name for n in metadata.Namespace.all().filter(
        '__key__ >', metadata.Namespace.key_for_namespace(''))])
    for args in [(), ('a',), ('', 'g'), ('f', 'g'), ('f', ''), (None, 'fun')]:
        observe('get_namespaces%r' % (args,), metadata.get_namespaces(*args))

    observe('kinds', [k.kind_name for k in metadata.Kind.all().fetch(100)])
    observe('kind_key', metadata.Kind.key_for_kind('Baz'))
    observe('kind_gt', [k.kind_name for k in metadata.Kind.all().filter('__key__ >', metadata.Kind.key_for_kind('Bar'))])
    for args in [(), ('Bat',), ('', 'C'), ('A', ''), (None, 'Baz')]:
        observe('get_kinds%r' % (args,), metadata.get_kinds(*args))

    observe('properties', [(p.kind_name, p.property_name, p.property_representation)
                           for p in metadata.Property.all().fetch(100)])
    observe('property_of_bar', [p.property_name for p in metadata.Property.all().ancestor(
        metadata.Property.key_for_kind('Bar'))])
    observe('property_keys_after', [(metadata.Property.key_to_kind(k), metadata.Property.key_to_property(k))
                                    for k in metadata.Property.all(keys_only=True).filter(
                                        '__key__ >', metadata.Property.key_for_property('Foo', 'data'))])
    observe('property_key_helpers', [metadata.Property.key_to_kind(metadata.Property.key_for_kind('Baz')),
                                     metadata.Property.key_to_kind(metadata.Property.key_for_property('Bat', 'x')),
                                     metadata.Property.key_to_property(metadata.Property.key_for_kind('Baz')),
                                     metadata.Property.key_to_property(metadata.Property.key_for_property('Bat', 'x'))])
    for args in [('Bar',), ('Baz', 'g'), ('Foo', None, 'e'), ('Foo', '', 'e'), ('Foo', None, ''), ('Nope',)]:
        observe('get_properties_of_kind%r' % (args,), metadata.get_properties_of_kind(*args))
    for args in [('Bar',), ('Baz',), ('Baz', 'g'), ('Foo', None, 'e'), ('Foo', 'a', 'z'), ('Foo', '', 'z'),
                 ('Foo', None, '')]:
        observe('get_representations_of_kind%r' % (args,), metadata.get_representations_of_kind(*args))

    root = Foo(x=11)
    root.put()
    child = Foo(x=22, parent=root)
    child.put()
    group_key = metadata.EntityGroup.key_for_entity(root.key())
    observe('entity_group_key', group_key.to_path()[2:])
    observe('entity_group_key_same', [group_key == metadata.EntityGroup.key_for_entity(root),
                                      group_key == metadata.EntityGroup.key_for_entity(child)])
    observe.error('entity_group_version_positive', lambda: metadata.get_entity_group_version(root) > 0)
    observe.error('entity_group_version_same_for_key', lambda: metadata.get_entity_group_version(root) ==
                  metadata.get_entity_group_version(root.key()))
    observe.error('entity_group_get', lambda: db.get(group_key).version > 0)
    observe.error('write_metadata', lambda: metadata.Kind(key_name='Nope').put())

    for name in STAT_MODELS:
        model = getattr(stats, name)
        observe('stat/%s/kind' % name, [model.kind(), model.STORED_KIND_NAME])
        observe('stat/%s/properties' % name, sorted(model.properties()))
        observe('stat/%s/all' % name, model.all().fetch(5))
    observe('stat_kind_filter', stats.KindStat.all().filter('kind_name =', 'Foo').fetch(5))
    observe('stat_gql', db.GqlQuery('SELECT * FROM __Stat_Total__').fetch(5))
    observe.error('stat_write', lambda: stats.GlobalStat(bytes=1, count=1).put() is not None)
