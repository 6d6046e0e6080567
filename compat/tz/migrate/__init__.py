"""Move legacy wall-clock timestamps (e.g. Japan time) to UTC, in place.

* :class:`~compat.tz.migrate.runner.Migration` -- the single-machine run
  (``compat-tz-migrate``, ``python -m compat.tz.migrate``): dry run by
  default, batches with a progress bar, transactions, a resumable checkpoint,
  a per-entity marker so nothing is ever shifted twice.
* :mod:`compat.tz.migrate.beam` -- the same rewrite as an Apache Beam pipeline
  (``pip install 'appengine-db-compat[beam]'``, ``compat-tz-migrate-beam``).
* :mod:`compat.tz.migrate.rewrite` -- the per-entity protobuf rewrite both use.
"""
