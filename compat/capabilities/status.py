"""Status values of the legacy Capabilities API, and the value objects we report.

The numbers are those of the legacy ``IsEnabledResponse.SummaryStatus`` enum
(``capability_service.proto``), so code that compared summary statuses keeps
working. :class:`CapabilityStatus` is what a status query returns.
"""

import dataclasses
from typing import Iterable, Optional, Tuple

DEFAULT = 0
"""Legacy summary status: no configuration (treated as enabled)."""
ENABLED = 1
"""Legacy summary status: the capability is available."""
SCHEDULED_FUTURE = 2
"""Legacy summary status: downtime is scheduled; ``time_until_scheduled`` says when."""
SCHEDULED_NOW = 3
"""Legacy summary status: downtime is about to start (still enabled). compat never reports it."""
DISABLED = 4
"""Legacy summary status: the capability is unavailable right now."""
UNKNOWN = 5
"""Legacy summary status: the capability's state is not known."""

STATUS_NAMES = {
    DEFAULT: "DEFAULT",
    ENABLED: "ENABLED",
    SCHEDULED_FUTURE: "SCHEDULED_FUTURE",
    SCHEDULED_NOW: "SCHEDULED_NOW",
    DISABLED: "DISABLED",
    UNKNOWN: "UNKNOWN",
}

ENABLED_STATUSES = frozenset((DEFAULT, ENABLED, SCHEDULED_FUTURE, SCHEDULED_NOW))
"""Summary statuses for which legacy ``is_enabled()`` answered True."""

# How severe a status is when several sources are combined (higher wins).
_SEVERITY = {DEFAULT: 0, ENABLED: 1, SCHEDULED_NOW: 2, SCHEDULED_FUTURE: 2, DISABLED: 4, UNKNOWN: 3}


@dataclasses.dataclass(frozen=True)
class CapabilityStatus:
    """The answer to "can I use this capability?", as one immutable value.

    Attributes:
        summary_status: one of the legacy summary statuses (``ENABLED``,
            ``SCHEDULED_FUTURE``, ``DISABLED``, ...).
        admin_messages: distinct operator messages, most important first.
        time_until_scheduled: seconds until scheduled downtime starts
            (``SCHEDULED_FUTURE`` only), else None.
        retry_after: seconds after which writes may work again (``DISABLED``
            only), or None when no source can tell.
        reasons: which sources produced this answer, e.g. ``("planned:datastore",)``
            or ``("breaker",)``; empty when everything is enabled.
    """

    summary_status: int = ENABLED
    admin_messages: Tuple[str, ...] = ()
    time_until_scheduled: Optional[float] = None
    retry_after: Optional[float] = None
    reasons: Tuple[str, ...] = ()

    @property
    def enabled(self) -> bool:
        """True when legacy ``is_enabled()`` would answer True."""
        return self.summary_status in ENABLED_STATUSES

    @property
    def admin_message(self) -> str:
        """The distinct admin messages joined by two spaces, as legacy did ('' when none)."""
        return "  ".join(self.admin_messages)

    @property
    def status_name(self) -> str:
        """The summary status as its legacy enum name, e.g. ``'DISABLED'``."""
        return STATUS_NAMES.get(self.summary_status, str(self.summary_status))


def combine(statuses: Iterable[CapabilityStatus]) -> CapabilityStatus:
    """Combine the statuses of several sources into one.

    The most severe summary status wins (DISABLED over SCHEDULED_FUTURE over
    ENABLED); messages and reasons are kept in order without duplicates; the
    soonest scheduled start and the latest known recovery time are reported.
    """
    statuses = list(statuses)
    if not statuses:
        return CapabilityStatus()
    summary = max((s.summary_status for s in statuses), key=lambda value: _SEVERITY[value])
    relevant = [s for s in statuses if s.summary_status != ENABLED and s.summary_status != DEFAULT]
    messages, reasons = [], []
    for status in relevant:
        for message in status.admin_messages:
            if message and message not in messages:
                messages.append(message)
        for reason in status.reasons:
            if reason not in reasons:
                reasons.append(reason)
    scheduled = [s.time_until_scheduled for s in relevant
                 if s.summary_status == SCHEDULED_FUTURE and s.time_until_scheduled is not None]
    retry_after: Optional[float] = None
    if summary == DISABLED:
        known = [s.retry_after for s in relevant if s.summary_status == DISABLED]
        retry_after = None if not known or None in known else max(r for r in known if r is not None)
    return CapabilityStatus(
        summary_status=summary,
        admin_messages=tuple(messages),
        time_until_scheduled=min(scheduled) if scheduled and summary == SCHEDULED_FUTURE else None,
        retry_after=retry_after,
        reasons=tuple(reasons),
    )
