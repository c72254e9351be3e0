from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from incidents.choices import (
    OPEN_OBLIGATION_STATUSES,
    SENT_OBLIGATION_STATUSES,
    AppliesWhen,
    ObligationStatus,
    StartEvent,
)


class ObligationTemplate(models.Model):
    """One kind of clock (a row of the design's Clocks table)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    regime = models.CharField(_("regime"), max_length=80)
    stage = models.CharField(_("stage"), max_length=80)
    recipient = models.CharField(_("recipient"), max_length=120)
    law_reference = models.CharField(_("legal reference"), max_length=120)
    start_event = models.CharField(_("starts at"), max_length=20, choices=StartEvent.choices)
    start_after = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("starts when this is met")
    )
    period_hours = models.PositiveIntegerField(_("period in hours"), null=True, blank=True)
    period_months = models.PositiveIntegerField(_("period in months"), null=True, blank=True)
    # DORA's initial notification: never later than this many hours after the entity became aware
    # of the ICT incident, which is its detection (Delegated Regulation (EU) 2025/301 Art. 5(1)).
    cap_hours_after_detected = models.PositiveIntegerField(
        _("at the latest, hours after detection"), null=True, blank=True
    )
    target_by_dpo = models.BooleanField(_("without undue delay: the DPO sets the target"), default=False)
    applies_when = models.CharField(_("applies when"), max_length=40, choices=AppliesWhen.choices)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("obligation template")
        verbose_name_plural = _("obligation templates")

    def __str__(self) -> str:
        return f"{self.regime}: {self.stage}"

    # The words of a row are data; those of the seeded rows have translations (SEEDED_WORDS), and
    # a row added later is shown as it was written until its words are translated too.
    @property
    def regime_label(self) -> str:
        return gettext(self.regime)

    @property
    def stage_label(self) -> str:
        return gettext(self.stage)

    @property
    def recipient_label(self) -> str:
        return gettext(self.recipient)

    @property
    def law_reference_label(self) -> str:
        """The provision as a reader of this language cites it ("tietosuoja-asetuksen 33 artiklan
        1 kohta", "artikel 33.1 i dataskyddsförordningen")."""
        return gettext(self.law_reference)

    @property
    def label(self) -> str:
        return f"{self.regime_label}: {self.stage_label}"


# The regimes, stages and recipients of the rows migrations 0007, 0011 and 0014 seed, for the translators.
SEEDED_WORDS = (
    gettext_noop("NIS2 / Cybersecurity Act 124/2025"),
    gettext_noop("Notification"),
    gettext_noop("Supplementary notification"),
    gettext_noop("Communication to data subjects"),
    gettext_noop("Processor notice"),
    gettext_noop("Early warning (ensi-ilmoitus)"),
    gettext_noop("Incident notification (jatkoilmoitus)"),
    gettext_noop("Final report"),
    gettext_noop("Initial notification"),
    gettext_noop("Intermediate report"),
    gettext_noop("Supervisory authority (Office of the Data Protection Ombudsman)"),
    gettext_noop("Data subjects"),
    gettext_noop("Controller (customer)"),
    gettext_noop("Traficom / sector authority"),
    gettext_noop("Financial supervisor (FIN-FSA)"),
    gettext_noop("GDPR Art. 33(1)"),
    gettext_noop("GDPR Art. 33(2)"),
    gettext_noop("GDPR Art. 33(4)"),
    gettext_noop("GDPR Art. 34"),
    # Migration 0014.
    gettext_noop("Public communication"),
    gettext_noop("The public (in place of telling each data subject)"),
    gettext_noop("GDPR Art. 34(3)(c)"),
    gettext_noop("Cybersecurity Act 124/2025, section 11"),
    gettext_noop("DORA Art. 19(4)(a); Delegated Regulation (EU) 2025/301 Art. 5(1)"),
    gettext_noop("DORA Art. 19(4)(b); Delegated Regulation (EU) 2025/301 Art. 5(2)"),
    gettext_noop("DORA Art. 19(4)(c); Delegated Regulation (EU) 2025/301 Art. 5(3)"),
)


class Obligation(models.Model):
    """One clock of one incident: (incident, regime, stage, recipient), its deadline and status."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="obligations")
    template = models.ForeignKey(ObligationTemplate, on_delete=models.PROTECT, related_name="+")
    recipient_detail = models.CharField(_("recipient"), max_length=200, blank=True)
    start_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ObligationStatus.choices, default="pending")
    complete = models.BooleanField(_("complete notice"), default=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    met_note = models.TextField(_("how it was met"), blank=True)
    delay_reason = models.TextField(_("reasons for the delay"), blank=True)
    waived_reason = models.TextField(_("reason for waiving"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "template__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "template", "recipient_detail"], name="one_obligation_per_recipient"
            )
        ]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.template.code}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_OBLIGATION_STATUSES

    @property
    def is_sent(self) -> bool:
        return self.status in SENT_OBLIGATION_STATUSES

    @property
    def delay_reason_owed(self) -> bool:
        """Sent late and the reasons for the delay not yet given (Art. 33(1))."""
        return self.status == ObligationStatus.LATE and not self.delay_reason.strip()


class Reminder(models.Model):
    """One reminder of one obligation at one threshold. A row, so that it is sent exactly once:
    the sender claims it with ``UPDATE ... SET sent_at WHERE sent_at IS NULL``."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(_("threshold"), max_length=20)
    fire_at = models.DateTimeField(_("fires at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["obligation", "threshold"], name="one_reminder_per_threshold")
        ]
        indexes = [
            # The scan reads only unsent reminders that are due: its cost follows the reminders
            # due, not the number of open incidents.
            models.Index(
                fields=["fire_at"], name="reminder_unsent_due", condition=models.Q(sent_at__isnull=True)
            )
        ]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.obligation_id} {self.threshold}"
