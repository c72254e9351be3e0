from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from incidents.registers.business_id import business_id_valid

# A contractual Art. 33(2) deadline beyond 30 days is a typing error, not a contract (and a
# number of hours without bound would overflow the deadline's datetime).
MAX_PROCESSOR_NOTICE_HOURS = 720


def validate_business_id(value: str) -> None:
    """A Y-tunnus as NNNNNNN-N whose check digit holds (design, "Domain model")."""
    if value and not business_id_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid business ID (write it as 1234567-8; the last digit is a check)."),
            params={"value": value},
            code="invalid_business_id",
        )


class Organisation(models.Model):
    """A controller (or processor): the organisation using Breachclock, or one a register names."""

    class Role(models.TextChoices):
        CONTROLLER = "controller", _("Controller")
        PROCESSOR = "processor", _("Processor")
        BOTH = "both", _("Controller and processor")

    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID (Y-tunnus)"), max_length=9, blank=True, validators=[validate_business_id]
    )
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    dpo_name = models.CharField(_("DPO name"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("DPO e-mail"), blank=True)
    dpo_phone = models.CharField(_("DPO phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.CONTROLLER)
    nis2_scope = models.BooleanField(_("in NIS2 scope"), default=False)
    dora_scope = models.BooleanField(_("in DORA scope"), default=False)
    # GDPR Art. 33(2): when we act as this controller's processor, the contract says how soon we
    # must tell it of a breach at our end; empty, the Art. 33(2) obligation template's period.
    processor_notice_hours = models.PositiveIntegerField(
        _("hours to notify this controller (as its processor)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PROCESSOR_NOTICE_HOURS)],
        help_text=_(
            "The contractual deadline for telling this controller of a breach at our end. "
            "Empty: the obligation template's 24 hours."
        ),
    )
    default_languages = models.JSONField(_("default languages"), default=list, blank=True)
    letterhead = models.FileField(_("letterhead (.docx)"), upload_to="letterheads/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"],
                condition=~models.Q(business_id=""),
                name="organisation_business_id_unique",
            ),
            models.UniqueConstraint(
                Lower("name"), condition=models.Q(business_id=""), name="organisation_name_unique_without_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.business_id})" if self.business_id else self.name

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        """The unique constraints' refusals, each on the field at fault: Django would name only the
        constraint, as it does for every constraint with a condition."""
        excluded = exclude or ()
        others = Organisation.objects.exclude(pk=self.pk) if self.pk else Organisation.objects.all()
        errors: dict[str, ValidationError] = {}
        if self.business_id and "business_id" not in excluded:
            if others.filter(business_id=self.business_id).exists():
                errors["business_id"] = ValidationError(
                    _("another organisation already has %(value)s."),
                    params={"value": self.business_id},
                    code="unique",
                )
        elif not self.business_id and "name" not in excluded:
            # Compared as the constraint compares them, with the database's lower().
            same_name = (
                others.filter(business_id="")
                .annotate(lower_name=Lower("name"))
                .filter(lower_name=Lower(Value(self.name)))
            )
            if same_name.exists():
                errors["name"] = ValidationError(
                    _("another organisation without a business ID already has this name."), code="unique"
                )
        if errors:
            raise ValidationError(errors)
        super().validate_constraints(exclude=exclude)
