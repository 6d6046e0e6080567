"""PolyModel: the behaviours the legacy SDK's own polymodel_test checks (class keys, storage and loading,
polymorphic queries and GQL, mixins, diamonds, bad discriminators, a property named ``cls``)."""
from google.appengine.ext import db
from google.appengine.ext.db import polymodel


class Animal(polymodel.PolyModel):
    name = db.StringProperty()


class Canine(Animal):
    pass


class Dog(Canine):
    pass


class Wolf(Canine):
    pass


class Feline(Animal):
    pass


class Cat(Feline):
    pass


class Panther(Feline):
    pass


class Renamed(polymodel.PolyModel):
    @classmethod
    def class_name(cls):
        return 'Alternate'


class FunctionalBase(db.Model):
    label = db.StringProperty()


class PolyBase(FunctionalBase, polymodel.PolyModel):
    age = db.IntegerProperty()


class PolyClass(PolyBase):
    number = db.IntegerProperty()


class Root(polymodel.PolyModel):
    pass


class Mixin1a(Root):
    pass


class Mixin1b(Root):
    pass


class Mixin2a(Mixin1a, Mixin1b):
    pass


class WithCls(polymodel.PolyModel):
    cls = db.StringProperty()
    prop = db.StringProperty()


class Bare(polymodel.PolyModel):
    pass


ZOO = {'Animal': Animal, 'Canine': Canine, 'Dog': Dog, 'Wolf': Wolf, 'Feline': Feline, 'Cat': Cat,
       'Panther': Panther}


def _names(results):
    return sorted(animal.name for animal in results)


def _define_multi_root():
    class Root2(polymodel.PolyModel):
        pass

    class Multi(Root, Root2):
        pass


def _define_bad_root():
    class BadRoot(Mixin2a, polymodel.PolyModel):
        pass


def run(observe):
    observe('definition', [hasattr(polymodel.PolyModel, '__root_class__'),
                           isinstance(polymodel.PolyModel._class, db.ListProperty),
                           hasattr(polymodel.PolyModel, '__class_hierarchy__')])
    observe.error('polymodel_class_key', polymodel.PolyModel.class_key)
    observe.error('instantiate_polymodel', polymodel.PolyModel)
    for name, cls in sorted(ZOO.items()):
        observe('class/' + name, [cls.kind(), list(cls.class_key()), cls.class_name(),
                                  [c.__name__ for c in cls.__class_hierarchy__], cls.__root_class__.__name__])
    observe('renamed', [Renamed.kind(), list(Renamed.class_key()), Renamed.class_name()])
    observe.error('assign_class', lambda: Dog(**{'class': 'Some wicked class'}))

    Animal(name='Generic').put()
    Dog(name='Cuomo').put()
    Wolf(name='Woody').put()
    Cat(name='Vespa').put()
    Panther(name='Jack').put()
    for name, cls in sorted(ZOO.items()):
        observe('all/' + name, _names(cls.all()))
        observe('gql_class/' + name, _names(db.GqlQuery('SELECT * FROM Animal WHERE class = :1', name)))
        observe('keys_only/' + name, sorted(k.to_path()[0] for k in cls.all(keys_only=True)) == sorted(
            e.key().to_path()[0] for e in cls.all()))
    for name, gt in (('Animal', 'K'), ('Feline', 'K'), ('Canine', 'D')):
        observe('gql_gt/' + name, _names(ZOO[name].gql('WHERE name > :1', gt)))
        observe('gql_gt_ordered/' + name, [a.name for a in ZOO[name].gql('WHERE name > :1 ORDER BY name', gt)])
        observe('gql_in/' + name, _names(ZOO[name].gql("WHERE name IN ('Woody', 'Vespa')")))
    observe('gql_blank', _names(Feline.gql('')))
    for cls in (Animal, Dog):
        key = cls(name='x').put()
        loaded = db.get(key)
        observe('reload/' + cls.__name__, [type(loaded).__name__, loaded.key() == key, loaded._class])

    bare = Bare()
    bare.put()
    observe('default_class', [type(e).__name__ for e in Bare.all()])

    base_key = PolyBase(label='Vespa', age=5).put()
    class_key = PolyClass(label='Jack', age=9).put()
    observe('mixin_bases', sorted(e.key() == base_key or e.key() == class_key for e in PolyBase.all()))
    observe('mixin_classes', [e.key() == class_key for e in PolyClass.all()])
    observe('mixin_stored', [list(PolyClass.class_key()), db.get(class_key).label])

    observe('diamond', [Mixin2a.kind(), [c.__name__ for c in Mixin2a.__class_hierarchy__]])
    observe.error('multi_root', _define_multi_root)
    observe.error('bad_root', _define_bad_root)

    strange = WithCls(cls='foo', prop='bar')
    observe('cls_property', [strange.cls, strange.prop, db.get(strange.put()).cls])
    observe.error('new_with_cls', lambda: type(WithCls.__new__(WithCls, cls='foo', prop='bar')).__name__)
    observe.error('new_without_cls', lambda: WithCls.__new__(cls=WithCls))
    observe.error('bad_discriminator', lambda: db.GqlQuery("SELECT * FROM Animal WHERE class = 'Nope'").fetch(5))
