"""Operator actions: declare, clear and inspect planned maintenance.

The Python API behind ``python -m compat.capabilities set|clear|status``.
Declare maintenance *before* writes go off: once the database refuses
writes, the switch entity cannot be written any more (use
``COMPAT_READ_ONLY=on`` or the file store then).
"""

from __future__ import annotations

import datetime
from typing import Optional, Union

from compat.capabilities.maintenance import (
    DatastoreMaintenanceStore,
    FileMaintenanceStore,
    Maintenance,
    operator_name,
)
from compat.capabilities.monitor import WriteMonitor, get_monitor

#: Where a maintenance declaration is kept: the Datastore entity or a JSON file.
MaintenanceStore = Union[DatastoreMaintenanceStore, FileMaintenanceStore]


def default_store(file: Optional[str] = None, project: Optional[str] = None, namespace: Optional[str] = None,
                  database: Optional[str] = None, monitor: Optional[WriteMonitor] = None) -> MaintenanceStore:
    """The store the default monitor reads: the given file, or the Datastore entity.

    Namespace and database default to the monitor's settings
    (``COMPAT_MAINTENANCE_NAMESPACE``), so the CLI writes where apps read.
    """
    if file:
        return FileMaintenanceStore(file)
    settings = (monitor or get_monitor()).settings
    return DatastoreMaintenanceStore(
        project=project or settings.maintenance_project,
        namespace=namespace if namespace is not None else settings.maintenance_namespace,
        database=database if database is not None else settings.maintenance_database,
    )


def declare_maintenance(message: str, start: Optional[datetime.datetime] = None,
                        end: Optional[datetime.datetime] = None, store: Optional[MaintenanceStore] = None,
                        updated_by: Optional[str] = None) -> Maintenance:
    """Declare a read-only window (``start``/``end`` aware datetimes, either may be None).

    Returns the stored :class:`~compat.capabilities.maintenance.Maintenance`.
    Instances see it within their cache time (30 s by default); this process
    at once.
    """
    maintenance = Maintenance(
        message=message, start=start, end=end,
        updated_at=datetime.datetime.now(datetime.timezone.utc),
        updated_by=updated_by or operator_name(),
    )
    store = store or default_store()
    store.write(maintenance)
    get_monitor().refresh()
    return maintenance


def clear_maintenance(store: Optional[MaintenanceStore] = None) -> None:
    """Remove the declared window: writes are enabled again as instances refresh."""
    store = store or default_store()
    store.clear()
    get_monitor().refresh()


def read_maintenance(store: Optional[MaintenanceStore] = None) -> Optional[Maintenance]:
    """The declaration currently stored (uncached), or None."""
    return (store or default_store()).read()
