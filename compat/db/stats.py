"""``google.appengine.ext.db.stats``: the datastore statistics as read-only models.

Cloud Datastore still publishes the statistics legacy App Engine did, as
entities of the reserved ``__Stat_*__`` kinds, refreshed about once a day
(the Cloud console's "Datastore statistics"); each model below reads one of
those kinds, with legacy's class names and properties. The statistics of the
whole project live in the default namespace; the ``Namespace*`` models give
the same figures per namespace (query them inside that namespace).

The emulator computes no statistics: there these queries return nothing.
"""

from compat.db.model import Model
from compat.db.properties import DateTimeProperty, IntegerProperty, StringProperty


class BaseStatistic(Model, map_kind=False):
    """Base of every statistic: ``bytes``, ``count`` and the ``timestamp`` of the figures."""

    STORED_KIND_NAME = "__BaseStatistic__"

    bytes = IntegerProperty()
    count = IntegerProperty()
    timestamp = DateTimeProperty()

    @classmethod
    def kind(cls) -> str:
        """The reserved kind the statistic is published in."""
        return cls.STORED_KIND_NAME


class BaseKindStatistic(BaseStatistic, map_kind=False):
    """Base of the per-kind statistics: ``kind_name`` and ``entity_bytes``."""

    STORED_KIND_NAME = "__BaseKindStatistic__"

    kind_name = StringProperty()
    entity_bytes = IntegerProperty(default=0)


class GlobalStat(BaseStatistic):
    """The whole datastore: one entity (``__Stat_Total__``)."""

    STORED_KIND_NAME = "__Stat_Total__"

    entity_bytes = IntegerProperty(default=0)
    builtin_index_bytes = IntegerProperty(default=0)
    builtin_index_count = IntegerProperty(default=0)
    composite_index_bytes = IntegerProperty(default=0)
    composite_index_count = IntegerProperty(default=0)


class NamespaceStat(BaseStatistic):
    """One namespace (``subject_namespace``) of the datastore (``__Stat_Namespace__``)."""

    STORED_KIND_NAME = "__Stat_Namespace__"

    subject_namespace = StringProperty()
    entity_bytes = IntegerProperty(default=0)
    builtin_index_bytes = IntegerProperty(default=0)
    builtin_index_count = IntegerProperty(default=0)
    composite_index_bytes = IntegerProperty(default=0)
    composite_index_count = IntegerProperty(default=0)


class KindStat(BaseKindStatistic):
    """One kind (``__Stat_Kind__``)."""

    STORED_KIND_NAME = "__Stat_Kind__"

    builtin_index_bytes = IntegerProperty(default=0)
    builtin_index_count = IntegerProperty(default=0)
    composite_index_bytes = IntegerProperty(default=0)
    composite_index_count = IntegerProperty(default=0)


class KindRootEntityStat(BaseKindStatistic):
    """The root entities (no parent) of one kind (``__Stat_Kind_IsRootEntity__``)."""

    STORED_KIND_NAME = "__Stat_Kind_IsRootEntity__"


class KindNonRootEntityStat(BaseKindStatistic):
    """The entities with a parent of one kind (``__Stat_Kind_NotRootEntity__``)."""

    STORED_KIND_NAME = "__Stat_Kind_NotRootEntity__"


class PropertyTypeStat(BaseStatistic):
    """One value type (``property_type``) across all kinds (``__Stat_PropertyType__``)."""

    STORED_KIND_NAME = "__Stat_PropertyType__"

    property_type = StringProperty()
    entity_bytes = IntegerProperty(default=0)
    builtin_index_bytes = IntegerProperty(default=0)
    builtin_index_count = IntegerProperty(default=0)


class KindPropertyTypeStat(BaseKindStatistic):
    """One value type within one kind (``__Stat_PropertyType_Kind__``)."""

    STORED_KIND_NAME = "__Stat_PropertyType_Kind__"

    property_type = StringProperty()
    builtin_index_bytes = IntegerProperty(default=0)
    builtin_index_count = IntegerProperty(default=0)


class KindPropertyNameStat(BaseKindStatistic):
    """One property name within one kind (``__Stat_PropertyName_Kind__``)."""

    STORED_KIND_NAME = "__Stat_PropertyName_Kind__"

    property_name = StringProperty()
    builtin_index_bytes = IntegerProperty(default=0)
    builtin_index_count = IntegerProperty(default=0)


class KindPropertyNamePropertyTypeStat(BaseKindStatistic):
    """One value type of one property of one kind (``__Stat_PropertyType_PropertyName_Kind__``)."""

    STORED_KIND_NAME = "__Stat_PropertyType_PropertyName_Kind__"

    property_type = StringProperty()
    property_name = StringProperty()
    builtin_index_bytes = IntegerProperty(default=0)
    builtin_index_count = IntegerProperty(default=0)


class KindCompositeIndexStat(BaseStatistic):
    """One composite index (``index_id``) of one kind (``__Stat_Kind_CompositeIndex__``)."""

    STORED_KIND_NAME = "__Stat_Kind_CompositeIndex__"

    index_id = IntegerProperty()
    kind_name = StringProperty()


class NamespaceGlobalStat(GlobalStat):
    """GlobalStat of the current namespace (``__Stat_Ns_Total__``)."""

    STORED_KIND_NAME = "__Stat_Ns_Total__"


class NamespaceKindStat(KindStat):
    """KindStat of the current namespace (``__Stat_Ns_Kind__``)."""

    STORED_KIND_NAME = "__Stat_Ns_Kind__"


class NamespaceKindRootEntityStat(KindRootEntityStat):
    """KindRootEntityStat of the current namespace (``__Stat_Ns_Kind_IsRootEntity__``)."""

    STORED_KIND_NAME = "__Stat_Ns_Kind_IsRootEntity__"


class NamespaceKindNonRootEntityStat(KindNonRootEntityStat):
    """KindNonRootEntityStat of the current namespace (``__Stat_Ns_Kind_NotRootEntity__``)."""

    STORED_KIND_NAME = "__Stat_Ns_Kind_NotRootEntity__"


class NamespacePropertyTypeStat(PropertyTypeStat):
    """PropertyTypeStat of the current namespace (``__Stat_Ns_PropertyType__``)."""

    STORED_KIND_NAME = "__Stat_Ns_PropertyType__"


class NamespaceKindPropertyTypeStat(KindPropertyTypeStat):
    """KindPropertyTypeStat of the current namespace (``__Stat_Ns_PropertyType_Kind__``)."""

    STORED_KIND_NAME = "__Stat_Ns_PropertyType_Kind__"


class NamespaceKindPropertyNameStat(KindPropertyNameStat):
    """KindPropertyNameStat of the current namespace (``__Stat_Ns_PropertyName_Kind__``)."""

    STORED_KIND_NAME = "__Stat_Ns_PropertyName_Kind__"


class NamespaceKindPropertyNamePropertyTypeStat(KindPropertyNamePropertyTypeStat):
    """KindPropertyNamePropertyTypeStat of the current namespace (``__Stat_Ns_PropertyType_PropertyName_Kind__``)."""

    STORED_KIND_NAME = "__Stat_Ns_PropertyType_PropertyName_Kind__"


class NamespaceKindCompositeIndexStat(KindCompositeIndexStat):
    """KindCompositeIndexStat of the current namespace (``__Stat_Ns_Kind_CompositeIndex__``)."""

    STORED_KIND_NAME = "__Stat_Ns_Kind_CompositeIndex__"


#: Every statistic model by the kind it reads.
_DATASTORE_STATS_CLASSES_BY_KIND = {
    cls.STORED_KIND_NAME: cls for cls in (
        GlobalStat, NamespaceStat, KindStat, KindRootEntityStat, KindNonRootEntityStat, PropertyTypeStat,
        KindPropertyTypeStat, KindPropertyNameStat, KindPropertyNamePropertyTypeStat, KindCompositeIndexStat,
        NamespaceGlobalStat, NamespaceKindStat, NamespaceKindRootEntityStat, NamespaceKindNonRootEntityStat,
        NamespacePropertyTypeStat, NamespaceKindPropertyTypeStat, NamespaceKindPropertyNameStat,
        NamespaceKindPropertyNamePropertyTypeStat, NamespaceKindCompositeIndexStat,
    )
}
