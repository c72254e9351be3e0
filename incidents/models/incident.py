from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from incidents.choices import (
    DECIDED_STATES,
    OPEN_STATES,
    UNCONFIRMED_STATES,
    Art34Exception,
    AuthorityNotice,
    CauseIntent,
    CauseOrigin,
    IncidentState,
    RiskDecision,
    SubjectsNotice,
    answers_of,
)
from incidents.lifecycle import guards
from incidents.roles import Permission

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # noqa: F401

HANDLE = Permission.HANDLE_INCIDENT.perm
DECIDE = Permission.DECIDE_NOTIFICATION.perm


class Incident(ConcurrentTransitionMixin, models.Model):
    """A security incident, from the first report to closure (the design's lifecycle)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    # The organisation handling the breach: by default the affected registers' controller (none
    # yet when an intake from another system named no register); a processor when it is one.
    organisation = models.ForeignKey(
        "incidents.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("organisation handling this breach"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    detected_at = models.DateTimeField(_("detected at"))
    aware_at = models.DateTimeField(_("aware at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    occurred_from = models.DateTimeField(_("occurred from"), null=True, blank=True)
    occurred_to = models.DateTimeField(_("occurred until"), null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_incidents",
        verbose_name=_("reporter"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_incidents",
        verbose_name=_("handler"),
    )
    registers = models.ManyToManyField(
        "incidents.Register", through="incidents.IncidentRegister", related_name="incidents", blank=True
    )

    breach_confidentiality = models.BooleanField(_("confidentiality breach"), default=False)
    breach_integrity = models.BooleanField(_("integrity breach"), default=False)
    breach_availability = models.BooleanField(_("availability breach"), default=False)
    cause_intent = models.CharField(
        _("cause"), max_length=12, choices=CauseIntent.choices, default=CauseIntent.UNKNOWN
    )
    cause_origin = models.CharField(
        _("origin"), max_length=12, choices=CauseOrigin.choices, default=CauseOrigin.UNKNOWN
    )
    processor_involved = models.BooleanField(_("a processor was involved"), default=False)
    processor_name = models.CharField(_("processor"), max_length=200, blank=True)
    measures = models.TextField(_("measures taken and proposed"), blank=True)
    likely_consequences = models.TextField(_("likely consequences"), blank=True)

    # Facts that start further clocks (NIS2 / Cybersecurity Act, DORA).
    nis2_significant = models.BooleanField(_("significant incident (NIS2)"), default=False)
    dora_major_at = models.DateTimeField(
        _("classified as major ICT incident (DORA) at"), null=True, blank=True
    )

    # The DPO's decision (Art. 33 / 34).
    risk_decision = models.CharField(
        _("risk decision"), max_length=10, choices=RiskDecision.choices, blank=True
    )
    art34_exception = models.CharField(
        _("Art. 34(3) exception"), max_length=1, choices=Art34Exception.choices, blank=True, default=""
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    subjects_target_at = models.DateTimeField(_("data subjects informed by"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A later assessment whose proposal is stricter than the decision marks it for the DPO's review,
    # until the DPO keeps the decision or revises it; the reason given either way stays here.
    decision_review_of = models.ForeignKey(
        "incidents.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision to review after assessment"),
    )
    decision_review_reason = models.TextField(_("reasons given on review of the decision"), blank=True)

    dismissed_reason = models.TextField(_("reason for dismissal"), blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    state = FSMField(
        _("state"), choices=IncidentState.choices, default=IncidentState.REPORTED, protected=True
    )
    # Incremented by every change: a form or API call that read an older version is refused
    # instead of silently overwriting what someone else did meanwhile.
    version = models.PositiveIntegerField(default=1)
    # The nearest open deadline, kept by the services so that the dashboard can order thousands
    # of incidents by one indexed column; provisional while the incident is unconfirmed.
    next_due_at = models.DateTimeField(null=True, blank=True)
    next_due_provisional = models.BooleanField(default=False)
    # On the dashboard: open, or dismissed with a NIS2 or DORA clock still running. Kept with
    # next_due_at, so that the dashboard reads one indexed column instead of an OR of states.
    on_dashboard = models.BooleanField(default=True)
    # The clock that deadline belongs to; while provisional, the clock it stands for.
    next_due_template = models.ForeignKey(
        "incidents.ObligationTemplate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            models.Index(fields=["state", "next_due_at"], name="incident_open_due"),
            models.Index(fields=["on_dashboard", "next_due_at"], name="incident_dashboard_due"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def state_label(self) -> str:
        """The state in words: get_state_display() hashes every choice's lazy label on each call,
        which a list of fifty incidents pays fifty times."""
        return str(IncidentState(self.state).label)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_confirmed(self) -> bool:
        return self.state not in (*UNCONFIRMED_STATES, IncidentState.DISMISSED)

    @property
    def notify_authority(self) -> str:
        """The decision's answer on notifying the supervisory authority: "yes", "no" or ""."""
        return answers_of(self.risk_decision, self.art34_exception)[0]

    @property
    def notify_subjects(self) -> str:
        """The decision's answer on the data subjects: "yes", "no", an exception letter, or ""."""
        return answers_of(self.risk_decision, self.art34_exception)[1]

    def get_notify_authority_display(self) -> str:
        answer = self.notify_authority
        return str(AuthorityNotice(answer).label) if answer else ""

    def get_notify_subjects_display(self) -> str:
        answer = self.notify_subjects
        return str(SubjectsNotice(answer).label) if answer else ""

    @property
    def clock_start(self) -> datetime:
        """aware_at once confirmed; before that detected_at, the worst case (provisional)."""
        return self.aware_at if self.aware_at is not None else self.detected_at

    # --- Transitions: they change fields only; services check, save, audit and notify. ------

    @transition(field=state, source=IncidentState.REPORTED, target=IncidentState.TRIAGE, permission=HANDLE)
    def start_triage(self) -> None:
        pass

    @transition(
        field=state,
        source=[IncidentState.REPORTED, IncidentState.TRIAGE],
        target=IncidentState.DISMISSED,
        conditions=guards.conditions(guards.has_dismissal_reason),
        permission=HANDLE,
    )
    def dismiss(self) -> None:
        pass

    @transition(
        field=state,
        source=[IncidentState.REPORTED, IncidentState.TRIAGE],
        target=IncidentState.CONFIRMED,
        conditions=guards.conditions(guards.has_affected_register, guards.awareness_is_valid),
        permission=HANDLE,
    )
    def confirm(self, *, at: datetime) -> None:
        self.confirmed_at = at
        if self.aware_at is None:
            self.aware_at = at

    @transition(
        field=state,
        source=IncidentState.CONFIRMED,
        target=IncidentState.ASSESSED,
        conditions=guards.conditions(
            guards.has_breach_type, guards.has_likely_consequences, guards.has_assessment
        ),
        permission=HANDLE,
    )
    def assess(self) -> None:
        pass

    @transition(
        field=state,
        source=IncidentState.ASSESSED,
        target=IncidentState.DECIDED,
        conditions=guards.conditions(
            guards.has_risk_decision,
            guards.has_decision_reason_when_needed,
            guards.subjects_target_when_needed,
        ),
        permission=DECIDE,
    )
    def decide(self, *, at: datetime, by: Any) -> None:
        self.decided_at = at
        self.decided_by = by

    @transition(
        field=state,
        source=list(DECIDED_STATES),
        target=IncidentState.ASSESSED,
        conditions=guards.conditions(guards.has_revision_reason),
        permission=DECIDE,
    )
    def revise_decision(self) -> None:
        # The earlier decision's clocks run on until the new decision replaces it.
        self.closed_at = None
        self.decision_review_of = None

    @transition(
        field=state,
        source=IncidentState.DECIDED,
        target=IncidentState.NOTIFYING,
        conditions=guards.conditions(guards.notification_required),
        permission=HANDLE,
    )
    def start_notifying(self) -> None:
        pass

    @transition(
        field=state,
        source=IncidentState.NOTIFYING,
        target=IncidentState.NOTIFIED,
        conditions=guards.conditions(guards.no_open_obligations),
        permission=HANDLE,
    )
    def finish_notifying(self) -> None:
        pass

    @transition(
        field=state,
        source=IncidentState.DECIDED,
        target=IncidentState.DOCUMENTED,
        conditions=guards.conditions(guards.no_open_obligations),
        permission=HANDLE,
    )
    def document(self) -> None:
        pass

    @transition(
        field=state,
        source=[IncidentState.NOTIFIED, IncidentState.DOCUMENTED],
        target=IncidentState.CLOSED,
        conditions=guards.conditions(guards.has_measures),
        permission=HANDLE,
    )
    def close(self, *, at: datetime) -> None:
        self.closed_at = at

    @transition(
        field=state,
        source=[IncidentState.DISMISSED, IncidentState.CLOSED],
        target=IncidentState.TRIAGE,
        conditions=guards.conditions(guards.has_reopen_reason),
        permission=HANDLE,
    )
    def reopen(self) -> None:
        self.closed_at = None


class IncidentRegister(models.Model):
    """One register an incident touched, with what of it and roughly how much."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="affected")
    register = models.ForeignKey("incidents.Register", on_delete=models.PROTECT, related_name="+")
    data_items = models.JSONField(_("data items affected"), default=list, blank=True)
    approx_subjects = models.PositiveIntegerField(
        _("approximate number of data subjects"), null=True, blank=True
    )
    approx_records = models.PositiveIntegerField(_("approximate number of records"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "register"], name="incident_register_once")
        ]
        verbose_name = _("affected register")
        verbose_name_plural = _("affected registers")

    def __str__(self) -> str:
        return f"{self.incident_id} / {self.register_id}"


class IncidentSequence(models.Model):
    """The last reference number given in a year (INC-2026-0042); one row per year, row-locked."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
