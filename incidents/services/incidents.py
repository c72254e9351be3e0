"""The acts on an incident: log it, change its facts, and take it through its lifecycle."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from incidents.audit import audit_record
from incidents.clocks.obligations import obligations_refresh
from incidents.errors import DomainError
from incidents.lifecycle.guards import awareness_problem
from incidents.lifecycle.steps import incident_for_update, incident_write_end, step_run
from incidents.models import (
    CauseIntent,
    CauseOrigin,
    Incident,
    IncidentRegister,
    IncidentSequence,
    Organisation,
    Register,
)
from incidents.roles import Permission, require
from incidents.services.decisions import incident_decide, incident_revise_decision

# The decision's steps live with their review (services.decisions); step_service finds them here.
__all__ = ["incident_decide", "incident_revise_decision"]

# The facts a security lead or DPO may change with incident_update, and how each is checked.
EDITABLE_FACTS = (
    "organisation",
    "title",
    "description",
    "occurred_from",
    "occurred_to",
    "breach_confidentiality",
    "breach_integrity",
    "breach_availability",
    "cause_intent",
    "cause_origin",
    "processor_involved",
    "processor_name",
    "measures",
    "likely_consequences",
    "nis2_significant",
    "dora_major_at",
)


def _next_reference(year: int) -> str:
    """INC-2026-0042: numbered per year, gap-free, under a row lock."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                sequence, _created = IncidentSequence.objects.select_for_update().get_or_create(year=year)
                sequence.last += 1
                sequence.save(update_fields=["last"])
                return f"INC-{year}-{sequence.last:04d}"
        except IntegrityError:
            continue  # two first incidents of the year at once: the other made the row; take it
    raise RuntimeError("could not number the incident")


def _registers(register_ids: Iterable[int]) -> list[Register]:
    wanted = set(register_ids)
    found = list(Register.objects.filter(pk__in=wanted).select_related("controller").order_by("name"))
    if len(found) != len(wanted):
        raise DomainError(_("Affected registers: one of the registers does not exist."), field="registers")
    return found


def incident_create(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation | None = None,
    title: str,
    description: str,
    detected_at: datetime,
    register_ids: Iterable[int] = (),
    now: datetime,
) -> Incident:
    """Log an incident with what is needed to start; the clock runs provisionally from detection.

    Without an organisation named, it is the controller of the first affected register.
    """
    require(actor, Permission.HANDLE_INCIDENT)
    title, description = title.strip(), description.strip()
    if not title:
        raise DomainError(_("Title: say in a few words what happened."), field="title")
    if not description:
        raise DomainError(_("What happened: describe the incident."), field="description")
    if detected_at > now:
        raise DomainError(_("Detected at: cannot be in the future."), field="detected_at")
    with transaction.atomic():
        registers = _registers(register_ids)
        if organisation is None and registers:
            organisation = registers[0].controller
        incident = Incident.objects.create(
            reference=_next_reference(now.year),
            organisation=organisation,
            title=title,
            description=description,
            detected_at=detected_at,
            reporter=actor,
            handler=actor,
        )
        IncidentRegister.objects.bulk_create(
            [IncidentRegister(incident=incident, register=r) for r in registers]
        )
        audit_record(
            action="incident.created",
            actor=actor,
            obj=incident,
            incident_id=incident.pk,
            data={
                "fields": {
                    "reference": incident.reference,
                    "title": title,
                    "description": description,
                    "detected_at": detected_at,
                    "registers": sorted(r.name for r in registers),
                }
            },
            now=now,
        )
        obligations_refresh(incident, now=now, actor=actor)
    return incident


def _clean_fact(name: str, value: Any, incident: Incident, now: datetime) -> Any:
    if name == "organisation" and value is not None and not isinstance(value, Organisation):
        # An id, as an API client names it.
        is_id = isinstance(value, int) and not isinstance(value, bool)
        found = Organisation.objects.filter(pk=value).first() if is_id else None
        if found is None:
            raise DomainError(
                _("Organisation handling this breach: there is no such organisation."), field=name
            )
        return found
    if name in ("title", "description") and not str(value).strip():
        raise DomainError(
            _("%(field)s: cannot be empty.") % {"field": Incident._meta.get_field(name).verbose_name},
            field=name,
        )
    if name == "cause_intent" and value not in CauseIntent.values:
        raise DomainError(_("Cause: choose malicious, accidental or not known yet."), field=name)
    if name == "cause_origin" and value not in CauseOrigin.values:
        raise DomainError(_("Origin: choose internal, external or not known yet."), field=name)
    if name in ("occurred_from", "occurred_to", "dora_major_at") and value is not None and value > now:
        raise DomainError(
            _("%(field)s: cannot be in the future.") % {"field": Incident._meta.get_field(name).verbose_name},
            field=name,
        )
    if name == "dora_major_at" and value is not None and value < incident.detected_at:
        # An incident is classified once it is known: DORA's clocks count from both moments.
        raise DomainError(
            _("Classified as major ICT incident (DORA) at: cannot be before the incident was detected."),
            field=name,
        )
    return value.strip() if isinstance(value, str) else value


def incident_update(
    *,
    incident_id: int,
    actor: AbstractBaseUser,
    expected_version: int | None,
    changes: dict[str, Any],
    now: datetime,
) -> Incident:
    """Change facts of the incident; each change is audited with its before and after."""
    require(actor, Permission.HANDLE_INCIDENT)
    unknown = set(changes) - set(EDITABLE_FACTS)
    if unknown:
        raise DomainError(
            _("These cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=expected_version)
        diff = {}
        for name, value in changes.items():
            value = _clean_fact(name, value, incident, now)
            if getattr(incident, name) != value:
                diff[name] = [getattr(incident, name), value]
                setattr(incident, name, value)
        if incident.occurred_from and incident.occurred_to and incident.occurred_from > incident.occurred_to:
            raise DomainError(_("Occurred until: cannot be before 'occurred from'."), field="occurred_to")
        if not diff:
            return incident
        if "organisation" in diff:
            # The trail is plain JSON: the organisation handling the breach is recorded by its name.
            diff["organisation"] = [org.name if org is not None else None for org in diff["organisation"]]
        incident_write_end(
            incident,
            action="incident.updated",
            actor=actor,
            now=now,
            data={"changes": diff},
            update_fields=list(diff),
        )
    return incident


def incident_set_registers(
    *,
    incident_id: int,
    actor: AbstractBaseUser,
    expected_version: int | None,
    affected: dict[int, dict[str, Any]],
    now: datetime,
) -> Incident:
    """Replace the affected registers: {register id: {data_items, approx_subjects, approx_records}}."""
    require(actor, Permission.HANDLE_INCIDENT)
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=expected_version)
        registers = {r.pk: r for r in _registers(affected)}
        before = {
            row.register.name: _affected_summary(row) for row in incident.affected.select_related("register")
        }
        incident.affected.all().delete()
        rows = []
        for register_id, details in affected.items():
            for key in ("approx_subjects", "approx_records"):
                number = details.get(key)
                if number is not None and (not isinstance(number, int) or number < 0):
                    raise DomainError(
                        _("%(field)s: give a whole number of zero or more.") % {"field": key}, field=key
                    )
            rows.append(
                IncidentRegister(
                    incident=incident,
                    register=registers[register_id],
                    data_items=[str(item) for item in details.get("data_items", [])],
                    approx_subjects=details.get("approx_subjects"),
                    approx_records=details.get("approx_records"),
                )
            )
        IncidentRegister.objects.bulk_create(rows)
        if incident.organisation_id is None and rows:
            incident.organisation = rows[0].register.controller
        after = {row.register.name: _affected_summary(row) for row in rows}
        incident_write_end(
            incident,
            action="incident.registers_changed",
            actor=actor,
            now=now,
            data={"changes": {"registers": [before, after]}},
            update_fields=["organisation"],
        )
    return incident


def _affected_summary(row: IncidentRegister) -> dict[str, Any]:
    return {
        "data_items": row.data_items,
        "approx_subjects": row.approx_subjects,
        "approx_records": row.approx_records,
    }


def step_service(step: str) -> Callable[..., Incident]:
    """The service of a lifecycle step: ``incident_<step>`` of this module, by the rule of
    lifecycle.steps.STEPS (a test holds every step to it, its keyword arguments to the step's inputs)."""
    service: Callable[..., Incident] = globals()[f"incident_{step}"]
    return service


def _step(
    incident_id: int,
    expected_version: int | None,
    step: str,
    *,
    actor: AbstractBaseUser,
    now: datetime,
    data: dict[str, Any] | None = None,
    **arguments: Any,
) -> Incident:
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=expected_version)
        return step_run(incident, step, actor=actor, now=now, data=data, **arguments)


def incident_start_triage(
    *, incident_id: int, actor: AbstractBaseUser, expected_version: int | None, now: datetime
) -> Incident:
    return _step(incident_id, expected_version, "start_triage", actor=actor, now=now)


def incident_dismiss(
    *, incident_id: int, actor: AbstractBaseUser, expected_version: int | None, reason: str, now: datetime
) -> Incident:
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=expected_version)
        incident.dismissed_reason = reason.strip()
        return step_run(incident, "dismiss", actor=actor, now=now, data={"reason": incident.dismissed_reason})


def incident_confirm(
    *,
    incident_id: int,
    actor: AbstractBaseUser,
    expected_version: int | None,
    now: datetime,
    aware_at: datetime | None = None,
    aware_reason: str = "",
) -> Incident:
    """Confirm a personal-data breach. aware_at defaults to now; an earlier one needs a reason."""
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=expected_version)
        data: dict[str, Any] = {}
        if aware_at is not None:
            if not aware_reason.strip():
                raise DomainError(
                    _("Reason: say why the organisation was aware earlier."), field="aware_reason"
                )
            incident.aware_at = aware_at
            problem = awareness_problem(incident, now=now)
            if problem:
                raise DomainError(problem, field="aware_at")
            data = {"aware_at": aware_at, "aware_reason": aware_reason.strip()}
        return step_run(incident, "confirm", actor=actor, now=now, data=data, at=now)


def incident_set_aware_at(
    *,
    incident_id: int,
    actor: AbstractBaseUser,
    expected_version: int | None,
    aware_at: datetime,
    reason: str,
    now: datetime,
) -> Incident:
    """Move the moment of awareness (never later than confirmation, never before detection, never
    in the future); the clocks that count from it move with it."""
    require(actor, Permission.HANDLE_INCIDENT)
    if not reason.strip():
        raise DomainError(_("Reason: say why the moment of awareness changes."), field="reason")
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=expected_version)
        if not incident.is_confirmed:
            raise DomainError(
                _("Aware at: it is set when the breach is confirmed; confirm the incident first."),
                field="aware_at",
            )
        before = incident.aware_at
        incident.aware_at = aware_at
        problem = awareness_problem(incident, now=now)
        if problem:
            raise DomainError(problem, field="aware_at")
        if before == aware_at:
            return incident
        incident_write_end(
            incident,
            action="incident.aware_at_changed",
            actor=actor,
            now=now,
            data={"changes": {"aware_at": [before, aware_at]}, "reason": reason.strip()},
            update_fields=["aware_at"],
        )
    return incident


def incident_assess(
    *, incident_id: int, actor: AbstractBaseUser, expected_version: int | None, now: datetime
) -> Incident:
    return _step(incident_id, expected_version, "assess", actor=actor, now=now)


def incident_start_notifying(
    *, incident_id: int, actor: AbstractBaseUser, expected_version: int | None, now: datetime
) -> Incident:
    return _step(incident_id, expected_version, "start_notifying", actor=actor, now=now)


def incident_finish_notifying(
    *, incident_id: int, actor: AbstractBaseUser, expected_version: int | None, now: datetime
) -> Incident:
    return _step(incident_id, expected_version, "finish_notifying", actor=actor, now=now)


def incident_document(
    *, incident_id: int, actor: AbstractBaseUser, expected_version: int | None, now: datetime
) -> Incident:
    return _step(incident_id, expected_version, "document", actor=actor, now=now)


def incident_close(
    *, incident_id: int, actor: AbstractBaseUser, expected_version: int | None, now: datetime
) -> Incident:
    return _step(incident_id, expected_version, "close", actor=actor, now=now, at=now)


def incident_reopen(
    *, incident_id: int, actor: AbstractBaseUser, expected_version: int | None, reason: str, now: datetime
) -> Incident:
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=expected_version)
        incident.reopen_reason = reason.strip()
        return step_run(incident, "reopen", actor=actor, now=now, data={"reason": incident.reopen_reason})
