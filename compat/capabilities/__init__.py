"""Read-only (maintenance) mode detection: the legacy Capabilities API on Cloud Datastore.

Placeholder package: the full implementation lands with the read-only issue.
:mod:`compat.capabilities.guard` is the seam compat.db's write paths call.
"""
