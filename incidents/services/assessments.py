"""Recording a risk assessment of an incident: a new version, the method's numbers, the trail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from incidents.errors import DomainError
from incidents.lifecycle.steps import incident_for_update, incident_write_end
from incidents.models import Assessment, DataItem, Incident
from incidents.registers.classification import DataClass
from incidents.risk.method import AffectedItem, Answers, Result, assess
from incidents.risk.scoring import Adjustment, Availability, Confidentiality, Identification, Integrity
from incidents.roles import Permission, require
from incidents.services.decisions import decision_review_mark

ANSWER_CHOICES: dict[str, type[StrEnum]] = {
    "ease_of_identification": Identification,
    "confidentiality": Confidentiality,
    "integrity": Integrity,
    "availability": Availability,
}


def affected_items(incident: Incident) -> list[AffectedItem]:
    """The data items of each affected register that were involved; where none is picked yet,
    every item of the register (the worst case, until the security lead narrows it down)."""
    items: list[AffectedItem] = []
    prefetched = "affected" in getattr(incident, "_prefetched_objects_cache", {})  # the incident page's
    rows = (
        incident.affected.all()
        if prefetched
        else incident.affected.select_related("register").prefetch_related("register__data_items")
    )
    for row in rows:
        register_items: list[DataItem] = list(row.register.data_items.all())
        picked = set(row.data_items)
        involved = [item for item in register_items if item.text in picked] if picked else register_items
        items += [
            AffectedItem(item.text, DataClass(item.data_class), item.special_category, item.henkilotunnus)
            for item in involved
        ]
    return items


def _adjustments(raw: Sequence[Mapping[str, Any]]) -> list[Adjustment]:
    adjustments = []
    for entry in raw:
        step, reason = entry.get("step"), str(entry.get("reason", "")).strip()
        if step not in (1, -1) or isinstance(step, bool):
            raise DomainError(
                _("DPC adjustments: each moves the DPC by one whole step, 1 or -1."), field="dpc_adjustments"
            )
        if not reason:
            raise DomainError(_("DPC adjustments: give the reason for each step."), field="dpc_adjustments")
        adjustments.append(Adjustment(int(step), reason))
    return adjustments


def _choice(values: Mapping[str, Any], name: str) -> Any:
    choices = ANSWER_CHOICES[name]
    try:
        return choices(values[name])
    except (KeyError, ValueError):
        allowed = ", ".join(choice.value for choice in choices)
        raise DomainError(
            _("%(field)s: choose one of %(allowed)s.") % {"field": name, "allowed": allowed}, field=name
        ) from None


def answers_from(values: Mapping[str, Any]) -> Answers:
    """The assessor's answers, each checked and refused by its field's name."""
    return Answers(
        dpc_adjustments=_adjustments(values.get("dpc_adjustments", [])),
        ease_of_identification=_choice(values, "ease_of_identification"),
        confidentiality=_choice(values, "confidentiality"),
        integrity=_choice(values, "integrity"),
        availability=_choice(values, "availability"),
        malicious=bool(values.get("malicious", False)),
        vulnerable_subjects=bool(values.get("vulnerable_subjects", False)),
    )


def assessment_result(assessment: Assessment) -> Result:
    """The method's result for a stored version, its reasons in the active language."""
    items = [
        AffectedItem(
            item["text"], DataClass(item["data_class"]), item["special_category"], item["henkilotunnus"]
        )
        for item in assessment.affected_items
    ]
    return assess(items, answers_from(assessment_answers(assessment)))


def assessment_answers(assessment: Assessment) -> dict[str, Any]:
    return {
        "dpc_adjustments": assessment.dpc_adjustments,
        "ease_of_identification": assessment.ease_of_identification,
        "confidentiality": assessment.confidentiality,
        "integrity": assessment.integrity,
        "availability": assessment.availability,
        "malicious": assessment.malicious,
        "vulnerable_subjects": assessment.vulnerable_subjects,
    }


def assessment_record(
    *, incident_id: int, actor: AbstractBaseUser, values: Mapping[str, Any], now: datetime
) -> Assessment:
    """A new version of the incident's risk assessment, from the affected data as it stands and
    the assessor's answers; the trail holds its numbers and proposal. After the decision, a
    proposal stricter than it marks the decision for the DPO's review."""
    require(actor, Permission.HANDLE_INCIDENT)
    answers = answers_from(values)
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=None)
        if not incident.is_confirmed:
            raise DomainError(
                _("Assessment: the risk is assessed once the personal-data breach is confirmed."),
                field="incident",
            )
        items = affected_items(incident)
        result = assess(items, answers)
        latest = incident.assessments.aggregate(latest=Max("version"))["latest"] or 0
        assessment = Assessment.objects.create(
            incident=incident,
            version=latest + 1,
            affected_items=[
                {
                    "text": item.text,
                    "data_class": int(item.data_class),
                    "special_category": item.special_category,
                    "henkilotunnus": item.henkilotunnus,
                }
                for item in items
            ],
            dpc_base=result.dpc_base,
            dpc_adjustments=[{"step": a.step, "reason": a.reason} for a in answers.dpc_adjustments],
            dpc=result.dpc,
            ease_of_identification=answers.ease_of_identification,
            confidentiality=answers.confidentiality,
            integrity=answers.integrity,
            availability=answers.availability,
            malicious=answers.malicious,
            vulnerable_subjects=answers.vulnerable_subjects,
            ei=Decimal(str(result.ei)),
            cb=Decimal(str(result.cb)),
            score=Decimal(str(result.score)),
            band=result.band,
            proposal=result.proposal,
            art34_exceptions=list(result.art34_exceptions),
            created_by=actor,  # type: ignore[misc]
            created_at=now,
        )
        incident_write_end(
            incident,
            action="assessment.recorded",
            actor=actor,
            now=now,
            data={
                "version": assessment.version,
                "dpc_base": result.dpc_base,
                "dpc": result.dpc,
                "ei": result.ei,
                "cb": result.cb,
                "score": result.score,
                "band": result.band.value,
                "proposal": result.proposal.value,
                "answers": assessment_answers(assessment),
            },
            update_fields=[],
        )
        decision_review_mark(incident, assessment, now=now)
    return assessment
