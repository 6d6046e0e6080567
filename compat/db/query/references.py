"""The N+1 problem of ReferenceProperty: counting one-by-one dereferences, and an opt-in warning.

Reading a ``ReferenceProperty`` attribute fetches its target with one get.
Doing that for every result of a query (``for story in Story.all(): story.author.name``)
costs one round trip per result -- the classic N+1 slow path
(``db.prefetch_references``, in ``compat.db.references``, is the cure).

* :func:`warn_on_dereferences` (opt-in) logs a warning when one ndb context --
  one request under ``compat.wsgi.ContextMiddleware`` or ``compat.context()``
  -- dereferences more than ``threshold`` references one by one;
* :func:`count_dereferences` counts one-by-one dereferences inside a block
  (for tests and for budgets such as "this page dereferences nothing").
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import logging
import threading
from typing import Any, Iterator, Optional

from compat import _context
from compat.db.errors import BadArgumentError

LOGGER = logging.getLogger("compat.db.references")

_lock = threading.Lock()
_settings: dict[str, Any] = {"threshold": None, "logger": LOGGER}
_per_context: "collections.OrderedDict[int, list]" = collections.OrderedDict()  # ndb context id -> [count, Counter of kinds, next warning]
_MAX_TRACKED_CONTEXTS = 10000
_counters: contextvars.ContextVar[tuple[DereferenceCounter, ...]] = contextvars.ContextVar("compat_db_dereference_counters", default=())


def warn_on_dereferences(threshold: Optional[int] = 20, logger: Optional[logging.Logger] = None) -> None:
    """Log a warning when one context dereferences more than ``threshold`` references one by one.

    Off by default; ``threshold=None`` turns it off again. Counts are kept per
    ndb context (a request under ``compat.wsgi.ContextMiddleware``; without
    it, each thread's implicit context for its lifetime). The warning repeats
    each time the count doubles. ``logger`` defaults to ``compat.db.references``.
    """
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0):
        raise BadArgumentError("threshold should be an int >= 0 or None (%r)" % (threshold,))
    with _lock:
        _settings["threshold"] = threshold
        _settings["logger"] = logger or LOGGER
        _per_context.clear()


class DereferenceCounter:
    """One-by-one ReferenceProperty dereferences seen inside a :func:`count_dereferences` block."""

    def __init__(self) -> None:
        self.count = 0
        self.kinds: collections.Counter[str] = collections.Counter()

    def __repr__(self) -> str:
        return "DereferenceCounter(count=%d, kinds=%r)" % (self.count, dict(self.kinds))


@contextlib.contextmanager
def count_dereferences() -> Iterator[DereferenceCounter]:
    """Count the references dereferenced one by one inside the block; yields a DereferenceCounter."""
    counter = DereferenceCounter()
    token = _counters.set(_counters.get() + (counter,))
    try:
        yield counter
    finally:
        _counters.reset(token)


def record_dereference(key: Any) -> None:
    """Called for every one-by-one dereference (``compat.db.references``)."""
    kind = key.kind()
    for counter in _counters.get():
        counter.count += 1
        counter.kinds[kind] += 1
    threshold = _settings["threshold"]
    if threshold is None:
        return
    with _context.ensure() as context:
        context_id = context.id
    with _lock:
        state = _per_context.get(context_id)
        if state is None:
            state = _per_context[context_id] = [0, collections.Counter(), threshold + 1]
            if len(_per_context) > _MAX_TRACKED_CONTEXTS:
                _per_context.popitem(last=False)
        state[0] += 1
        state[1][kind] += 1
        if state[0] < state[2]:
            return
        state[2] = state[0] * 2
        count, kinds = state[0], dict(state[1])
    _settings["logger"].warning(
        "compat.db: %d ReferenceProperty values dereferenced one by one in this request (threshold %d; kinds %s). "
        "Each costs a datastore round trip; resolve them with one batch get: "
        "db.prefetch_references(entities, 'property_name').",
        count, threshold, ", ".join("%s x%d" % item for item in sorted(kinds.items())),
    )
