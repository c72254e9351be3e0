"""Reading the audit trail: the filters auditors use on the page and in an export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from incidents.audit.canonical import GENESIS_HASH, utc_iso
from incidents.models import AuditEvent, Incident


@dataclass(frozen=True)
class AuditFilters:
    """What an auditor narrowed the trail to; ``until`` is exclusive so that ranges can be laid
    end to end (one export per day) without an event falling into two of them."""

    incident_id: int | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    @property
    def unfiltered(self) -> bool:
        return all(value is None for value in self.as_record().values())

    def as_record(self) -> dict[str, Any]:
        """The filters as plain JSON values, for the export manifest and its audit event."""
        return {
            "incident_id": self.incident_id,
            "actor": self.actor,
            "action": self.action,
            "since": None if self.since is None else utc_iso(self.since),
            "until": None if self.until is None else utc_iso(self.until),
        }


def audit_events_filtered(
    *,
    incident_id: int | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Events in chain order; ``action`` matches as a prefix (``auth.`` finds every login event),
    ``actor`` is the username at the time of the event."""
    events = AuditEvent.objects.order_by("seq")
    if incident_id is not None:
        events = events.filter(incident_id=incident_id)
    if actor:
        events = events.filter(actor_username=actor)
    if action:
        events = events.filter(action__startswith=action)
    if since is not None:
        events = events.filter(at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return events


def incident_id_by_reference(reference: str) -> int | None:
    """The id of the incident a reference (INC-2026-0006, as stored) names; None if none does."""
    return Incident.objects.filter(reference=reference).values_list("pk", flat=True).first()


def incident_references(incident_ids: Iterable[int | None]) -> dict[int, str]:
    """The references of the incidents a page of events names, in one query. An event keeps its
    incident's plain id (the trail outlives what it names), so an id no incident has is left out."""
    wanted = {incident_id for incident_id in incident_ids if incident_id is not None}
    if not wanted:
        return {}
    return dict(Incident.objects.filter(pk__in=wanted).values_list("pk", "reference"))


def audit_chain_head() -> tuple[int, str]:
    """The last event's seq and hash; (0, 64 zeros) for an empty trail."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last is not None else (0, GENESIS_HASH)
