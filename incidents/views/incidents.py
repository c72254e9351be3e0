"""The incident pages: the list of all incidents, the intake form, and one incident's page."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from incidents.errors import DomainError
from incidents.forms.incidents import (
    AffectedDataForm,
    AssessmentForm,
    AwareForm,
    DelayReasonForm,
    FactsForm,
    IntakeForm,
    KeepDecisionForm,
    MetForm,
    RegistersForm,
    TargetForm,
    WaiveForm,
    step_form,
)
from incidents.forms.notices import notice_create_form
from incidents.lifecycle.steps import STEPS, step_refusals
from incidents.lifecycle.timeline import timeline_entries
from incidents.models import (
    Assessment,
    CauseIntent,
    Incident,
    IncidentRegister,
    Obligation,
    ObligationStatus,
    RiskDecision,
)
from incidents.risk.method import Result, identification_suggested
from incidents.roles import Permission
from incidents.selectors.incidents import incident_events, incident_for_page
from incidents.services.assessments import affected_items, assessment_result
from incidents.services.incidents import EDITABLE_FACTS, incident_create
from incidents.views.access import role_required

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

VIEW = Permission.VIEW_EVERYTHING.perm
HANDLE = Permission.HANDLE_INCIDENT.perm
DECIDE = Permission.DECIDE_NOTIFICATION.perm
INCIDENTS_PER_PAGE = 50


@require_GET
@role_required(VIEW)
def incident_list(request: HttpRequest) -> HttpResponse:
    """Every incident, the newest first, closed and dismissed ones too."""
    incidents = Incident.objects.select_related("handler").order_by("-detected_at", "-pk")
    page = Paginator(incidents, INCIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "incidents/incident_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@role_required(HANDLE)
def incident_new(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    if request.method != "POST":
        form = IntakeForm(initial={"detected_at": timezone.localtime(now).replace(second=0, microsecond=0)})
        return render(request, "incidents/incident_new.html", {"form": form})
    form = IntakeForm(request.POST)
    if form.is_valid():
        try:
            incident = incident_create(
                actor=request.user,  # type: ignore[arg-type]
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                detected_at=form.cleaned_data["detected_at"],
                register_ids=[register.pk for register in form.cleaned_data["registers"]],
                now=now,
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Logged %(reference)s. Its clock runs provisionally from detection until it is confirmed.")
                % {"reference": incident.reference},
            )
            return redirect("incident_detail", pk=incident.pk)
    return render(request, "incidents/incident_new.html", {"form": form}, status=400)


def form_add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal next to the field it names, or at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# Dismissing, closing and revising the decision are shown behind a disclosure with a secondary
# button: opening it and then pressing the button is the confirmation, with the reason where the
# step takes one. The step that moves the incident on is the primary button.
SECONDARY_STEPS = frozenset({"dismiss", "close", "revise_decision"})


@dataclass
class StepOffer:
    """One lifecycle step the incident's state allows: its form, and why it is refused, if it is."""

    step: str
    label: str
    form: forms.Form
    refusals: list[str]

    @property
    def needs_input(self) -> bool:
        return bool(STEPS[self.step].inputs)

    @property
    def secondary(self) -> bool:
        """A step that ends or undoes work: never the primary button, and asked for twice."""
        return self.step in SECONDARY_STEPS


def _step_offers(incident: Incident, user: Any, bound: dict[str, forms.Form]) -> list[StepOffer]:
    offers = []
    for step in STEPS:
        meta = getattr(Incident, step)._django_fsm
        if meta.get_transition(incident.state) is None:
            continue
        probe = copy.copy(incident)
        for name, value in STEPS[step].fills.items():
            setattr(probe, name, value)
        form = bound.get(step) or step_form(step)(prefix=step, initial={"version": incident.version})
        refusals = [refusal.message for refusal in step_refusals(probe, step, user)]
        offers.append(StepOffer(step, capfirst(str(STEPS[step].label)), form, refusals))
    return offers


@dataclass
class AssessedVersion:
    """One version of the risk assessment as the page shows it: the method's result, its reasons
    in the reader's language, and the proposal in words."""

    assessment: Assessment
    result: Result
    proposal: StrOrPromise


@dataclass
class ObligationRow:
    obligation: Obligation
    met: forms.Form
    waive: forms.Form
    target: forms.Form | None
    delay: forms.Form | None  # the reasons for the delay, owed by a notice sent late


def _obligation_rows(incident: Incident, now: datetime, bound: dict[str, forms.Form]) -> list[ObligationRow]:
    local_now = timezone.localtime(now).replace(second=0, microsecond=0)
    rows = []
    for obligation in incident.obligations.all():
        key = f"-{obligation.pk}"
        rows.append(
            ObligationRow(
                obligation=obligation,
                met=bound.get("met" + key) or MetForm(prefix="met" + key, initial={"met_at": local_now}),
                waive=bound.get("waive" + key) or WaiveForm(prefix="waive" + key),
                target=(bound.get("target" + key) or TargetForm(prefix="target" + key))
                if obligation.template.target_by_dpo
                else None,
                delay=(bound.get("delay" + key) or DelayReasonForm(prefix="delay" + key))
                if obligation.status == ObligationStatus.LATE
                else None,
            )
        )
    return rows


def _affected_rows(
    incident: Incident, bound: dict[str, forms.Form], version: dict[str, int]
) -> list[tuple[IncidentRegister, forms.Form]]:
    rows = []
    for row in incident.affected.all():
        prefix = f"affected-{row.register_id}"
        initial = {
            "register": row.register_id,
            "data_items": row.data_items,
            "approx_subjects": row.approx_subjects,
            "approx_records": row.approx_records,
        }
        form = bound.get(prefix) or AffectedDataForm(
            prefix=prefix, register=row.register, initial=initial | version
        )
        rows.append((row, form))
    return rows


def _assessment_context(
    incident: Incident, bound: dict[str, forms.Form], version: dict[str, int]
) -> dict[str, Any]:
    """The assessment form with the EI the affected data suggests, and every version made so far,
    the latest first, each with its reasons in the reader's language."""
    suggested, why = identification_suggested(affected_items(incident))
    initial = {
        "ease_of_identification": suggested.value,
        "malicious": incident.cause_intent == CauseIntent.MALICIOUS,
    }
    versions = list(incident.assessments.select_related("created_by").order_by("-version"))
    return {
        "assessment_form": bound.get("assessment")
        or AssessmentForm(prefix="assessment", initial=initial | version),
        "ei_suggestion": why,
        "assessments": [
            AssessedVersion(assessment, result, RiskDecision(result.proposal).label)
            for assessment in versions
            for result in [assessment_result(assessment)]
        ],
    }


def incident_page(
    request: HttpRequest,
    pk: int,
    *,
    bound: dict[str, forms.Form] | None = None,
    changed_meanwhile: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The incident's page; after a refused act, with the user's form and its errors in place."""
    try:
        incident = incident_for_page(pk)
    except Incident.DoesNotExist:
        raise Http404(_("No such incident.")) from None
    bound = bound or {}
    now = timezone.now()
    user = request.user
    may_handle = user.has_perm(HANDLE)
    version = {"version": incident.version}
    facts_initial = {name: getattr(incident, name) for name in EDITABLE_FACTS} | version
    context = {
        "incident": incident,
        "now": now,
        "may_handle": may_handle,
        "may_decide": user.has_perm(DECIDE),
        "changed_meanwhile": changed_meanwhile,
        "open_forms": set(bound),
        "steps": _step_offers(incident, user, bound) if may_handle else [],
        "facts_form": bound.get("facts") or FactsForm(prefix="facts", initial=facts_initial),
        "registers_form": bound.get("registers")
        or RegistersForm(
            prefix="registers",
            initial={"registers": [row.register_id for row in incident.affected.all()]} | version,
        ),
        "keep_form": bound.get("decision_keep") or KeepDecisionForm(prefix="decision_keep", initial=version),
        "aware_form": bound.get("aware")
        or AwareForm(prefix="aware", initial={"aware_at": incident.aware_at} | version),
        "affected_rows": _affected_rows(incident, bound, version),
        **_assessment_context(incident, bound, version),
        "obligations": _obligation_rows(incident, now, bound),
        "notices": list(incident.notices.all()),
        "notice_form": bound.get("notice") or notice_create_form(incident),
        "timeline": timeline_entries(incident_events(incident.pk)),
    }
    return render(request, "incidents/incident_detail.html", context, status=status)
