from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.risk.scoring import Availability, Band, Confidentiality, Identification, Integrity, Proposal


def _choices(values: type[StrEnum]) -> list[tuple[str, str]]:
    return [(value.value, value.value) for value in values]


class Assessment(models.Model):
    """One version of an incident's risk assessment by the ENISA method: the assessor's answers,
    the affected data they were given, and the numbers they came to. New facts give a new version;
    earlier ones stay, with who made them and when."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="assessments")
    version = models.PositiveIntegerField(_("version"))
    # The affected data items as the method saw them (text, class, flags), so that the reasons can
    # be told again in any language however the registers change later.
    affected_items = models.JSONField(_("data items affected"), default=list)
    dpc_base = models.PositiveSmallIntegerField(_("DPC suggested from the data"))
    dpc_adjustments = models.JSONField(_("DPC adjustments"), default=list)
    dpc = models.PositiveSmallIntegerField(_("DPC"))
    ease_of_identification = models.CharField(
        _("ease of identification"), max_length=12, choices=_choices(Identification)
    )
    confidentiality = models.CharField(_("confidentiality"), max_length=20, choices=_choices(Confidentiality))
    integrity = models.CharField(_("integrity"), max_length=20, choices=_choices(Integrity))
    availability = models.CharField(_("availability"), max_length=20, choices=_choices(Availability))
    malicious = models.BooleanField(_("malicious intent"))
    vulnerable_subjects = models.BooleanField(_("children or other vulnerable people"))
    ei = models.DecimalField(_("EI"), max_digits=4, decimal_places=2)
    cb = models.DecimalField(_("CB"), max_digits=4, decimal_places=2)
    score = models.DecimalField(_("severity (SE)"), max_digits=5, decimal_places=2)
    band = models.CharField(_("band"), max_length=10, choices=_choices(Band))
    proposal = models.CharField(_("proposal"), max_length=10, choices=_choices(Proposal))
    art34_exceptions = models.JSONField(_("Art. 34(3) exceptions offered"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("made at"))

    class Meta:
        ordering = ["incident", "version"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "version"], name="one_assessment_per_version")
        ]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    def __str__(self) -> str:
        return f"{self.incident_id} v{self.version}"
