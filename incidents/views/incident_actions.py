"""The acts on an incident's page. Each form posts here; the view calls one service with the
version the user saw, and shows a refusal beside the field it names (or at the top)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from incidents.errors import ChangedMeanwhile, DomainError, TransitionRefused
from incidents.forms.incidents import (
    AffectedDataForm,
    AssessmentForm,
    AwareForm,
    DelayReasonForm,
    FactsForm,
    KeepDecisionForm,
    MetForm,
    RegistersForm,
    TargetForm,
    WaiveForm,
    step_form,
)
from incidents.forms.notices import notice_create_form
from incidents.lifecycle.steps import STEPS
from incidents.lifecycle.timeline import ACTION_WORDS
from incidents.models import Incident, Obligation
from incidents.services import incidents as service
from incidents.services import obligations as obligation_service
from incidents.services.assessments import assessment_record
from incidents.services.decisions import decision_keep
from incidents.services.incidents import step_service
from incidents.views.access import role_required
from incidents.views.incidents import HANDLE, VIEW, form_add_domain_error, incident_page
from incidents.views.refusals import refusal_pop, refusal_redirect

Run = Callable[..., Any]


@dataclass(frozen=True)
class Act:
    form: type[forms.Form]
    run: Run  # (incident or obligation id, actor, form.cleaned_data, now) -> result
    audit_action: str  # its words are the message shown when it is done


def _step(step: str) -> Act:
    """A lifecycle step, as its row of STEPS says: its form's fields are its service's arguments."""
    names = [spec.name for spec in STEPS[step].inputs]

    def run(pk: int, actor: Any, data: dict[str, Any], now: Any) -> Incident:
        return step_service(step)(
            incident_id=pk,
            actor=actor,
            expected_version=data["version"],
            now=now,
            **{name: data[name] for name in names},
        )

    return Act(step_form(step), run, STEPS[step].action)


def _affected_data(pk: int, actor: Any, data: dict[str, Any], now: Any) -> Incident:
    """One register's involved data items and numbers; the other registers' stay as they were."""
    affected = {
        row.register_id: {
            "data_items": row.data_items,
            "approx_subjects": row.approx_subjects,
            "approx_records": row.approx_records,
        }
        for row in Incident.objects.get(pk=pk).affected.all()
    }
    if data["register"] not in affected:
        raise DomainError(_("Affected registers: this register is not among them."), field="register")
    affected[data["register"]] = {
        "data_items": data["data_items"],
        "approx_subjects": data["approx_subjects"],
        "approx_records": data["approx_records"],
    }
    return service.incident_set_registers(
        incident_id=pk, actor=actor, expected_version=data["version"], affected=affected, now=now
    )


def _assessment(pk: int, actor: Any, data: dict[str, Any], now: Any) -> Any:
    form_answers = AssessmentForm.answers_of(data)
    return assessment_record(incident_id=pk, actor=actor, values=form_answers, now=now)


def _registers(pk: int, actor: Any, data: dict[str, Any], now: Any) -> Incident:
    # Details recorded for a register that stays (data items, numbers) are kept as they were.
    kept = {row.register_id: row for row in Incident.objects.get(pk=pk).affected.all()}
    affected = {}
    for register in data["registers"]:
        row = kept.get(register.pk)
        affected[register.pk] = (
            {
                "data_items": row.data_items,
                "approx_subjects": row.approx_subjects,
                "approx_records": row.approx_records,
            }
            if row
            else {}
        )
    return service.incident_set_registers(
        incident_id=pk, actor=actor, expected_version=data["version"], affected=affected, now=now
    )


INCIDENT_ACTS: dict[str, Act] = {
    **{step: _step(step) for step in STEPS},
    "facts": Act(
        FactsForm,
        lambda pk, actor, data, now: service.incident_update(
            incident_id=pk,
            actor=actor,
            expected_version=data["version"],
            changes={name: data[name] for name in service.EDITABLE_FACTS},
            now=now,
        ),
        "incident.updated",
    ),
    "registers": Act(RegistersForm, _registers, "incident.registers_changed"),
    "decision_keep": Act(
        KeepDecisionForm,
        lambda pk, actor, data, now: decision_keep(
            incident_id=pk, actor=actor, expected_version=data["version"], reason=data["reason"], now=now
        ),
        "incident.decision_kept",
    ),
    "assessment": Act(AssessmentForm, _assessment, "assessment.recorded"),
    "aware": Act(
        AwareForm,
        lambda pk, actor, data, now: service.incident_set_aware_at(
            incident_id=pk,
            actor=actor,
            expected_version=data["version"],
            aware_at=data["aware_at"],
            reason=data["reason"],
            now=now,
        ),
        "incident.aware_at_changed",
    ),
}

OBLIGATION_ACTS: dict[str, Act] = {
    "met": Act(
        MetForm,
        lambda pk, actor, data, now: obligation_service.obligation_mark_met(
            obligation_id=pk,
            actor=actor,
            met_at=data["met_at"],
            note=data["note"],
            complete=data["complete"],
            delay_reason=data["delay_reason"],
            now=now,
        ),
        "obligation.met",
    ),
    "delay": Act(
        DelayReasonForm,
        lambda pk, actor, data, now: obligation_service.obligation_explain_delay(
            obligation_id=pk, actor=actor, reason=data["reason"], now=now
        ),
        "obligation.delay_explained",
    ),
    "waive": Act(
        WaiveForm,
        lambda pk, actor, data, now: obligation_service.obligation_waive(
            obligation_id=pk, actor=actor, reason=data["reason"], now=now
        ),
        "obligation.waived",
    ),
    "target": Act(
        TargetForm,
        lambda pk, actor, data, now: obligation_service.obligation_set_target(
            obligation_id=pk, actor=actor, due_at=data["due_at"], now=now
        ),
        "obligation.target_set",
    ),
}


def _perform(request: HttpRequest, incident_pk: int, act: Act, target_pk: int, prefix: str) -> HttpResponse:
    form = act.form(request.POST, prefix=prefix)
    page = reverse("incident_detail", args=[incident_pk])
    if form.is_valid():
        try:
            act.run(target_pk, request.user, form.cleaned_data, timezone.now())
        except ChangedMeanwhile:
            return refusal_redirect(request, page, "", None, changed_meanwhile=True)
        except TransitionRefused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, str(ACTION_WORDS[act.audit_action]) + ".")
            return redirect("incident_detail", pk=incident_pk)
    return refusal_redirect(request, page, prefix, form, anchor=_anchor(prefix))


def _anchor(prefix: str) -> str:
    """Where on the incident's page the refused form is, for the browser to scroll to."""
    kind, _dash, number = prefix.partition("-")
    if kind in OBLIGATION_ACTS and number:
        return f"obligation-{number}"
    if prefix in STEPS or prefix == "decision_keep":
        return "actions-heading"
    return {"facts": "facts-heading", "registers": "registers-heading", "affected": "registers-heading"}.get(
        kind, {"assessment": "assessment-heading", "aware": "facts-heading"}.get(prefix, "")
    )


def _form_maker(prefix: str, incident: Incident) -> Callable[[QueryDict, str], forms.Form] | None:
    """How the form that ``prefix`` names is made, as the act that refused it made it."""
    kind, _dash, number = prefix.partition("-")
    if kind == "notice":
        return lambda data, _prefix: notice_create_form(incident, data)
    if kind == "affected" and number:
        return lambda data, prefix: AFFECTED_DATA.form(data, prefix=prefix)
    act = OBLIGATION_ACTS.get(kind) if number else INCIDENT_ACTS.get(prefix)
    if act is None:
        return None
    return lambda data, prefix: act.form(data, prefix=prefix)


@require_GET
@role_required(VIEW)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident's page; after a refused form, with what was typed and why it was refused."""
    refusal = refusal_pop(request)
    if refusal is None:
        return incident_page(request, pk)
    incident = get_object_or_404(Incident, pk=pk)
    make = _form_maker(refusal.prefix, incident) if refusal.prefix else None
    bound = {refusal.prefix: refusal.form(make)} if make else None
    return incident_page(request, pk, bound=bound, changed_meanwhile=refusal.changed_meanwhile)


@require_POST
@role_required(HANDLE)
def incident_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    act = INCIDENT_ACTS.get(action)
    if act is None:
        raise Http404(_("No such action."))
    get_object_or_404(Incident, pk=pk)
    return _perform(request, pk, act, pk, action)


AFFECTED_DATA = Act(AffectedDataForm, _affected_data, "incident.registers_changed")


@require_POST
@role_required(HANDLE)
def affected_data_act(request: HttpRequest, pk: int, register_pk: int) -> HttpResponse:
    """One affected register's data items and numbers, each register with a form of its own."""
    get_object_or_404(Incident, pk=pk)
    return _perform(request, pk, AFFECTED_DATA, pk, f"affected-{register_pk}")


@require_POST
@role_required(HANDLE)
def obligation_act(request: HttpRequest, pk: int, obligation_pk: int, action: str) -> HttpResponse:
    act = OBLIGATION_ACTS.get(action)
    if act is None:
        raise Http404(_("No such action."))
    get_object_or_404(Obligation, pk=obligation_pk, incident_id=pk)
    return _perform(request, pk, act, obligation_pk, f"{action}-{obligation_pk}")
