from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from incidents.models.organisation import Organisation
from incidents.registers.classification import DATA_CLASS_LABELS, DataClass

DATA_CLASS_CHOICES = [(data_class.value, label) for data_class, label in DATA_CLASS_LABELS.items()]


class SourceDocument(models.Model):
    """A privacy statement as it was imported: the original text, the law it cites, its date."""

    class Law(models.TextChoices):
        PERSONAL_DATA_ACT = "523/1999", _("Henkilötietolaki 523/1999")
        DATA_PROTECTION_ACT = "1050/2018", _("Tietosuojalaki 1050/2018")
        GDPR = "GDPR", _("GDPR (EU) 2016/679")

    filename = models.CharField(_("file"), max_length=255)
    text = models.TextField(_("original text"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    law_basis = models.CharField(_("law cited"), max_length=12, choices=Law.choices, blank=True)
    document_date = models.DateField(_("date of the statement"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self) -> str:
        return self.filename


class Register(models.Model):
    """One record of processing (design, "Domain model")."""

    class Transfers(models.TextChoices):
        NONE = "none", _("None")
        YES = "yes", _("Yes")
        UNSPECIFIED = "unspecified", _("Not stated")

    name = models.CharField(_("name"), max_length=300)
    controller = models.ForeignKey(
        Organisation,
        verbose_name=_("controller"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registers",
    )
    joint_controllers = models.ManyToManyField(
        Organisation, verbose_name=_("joint controllers"), blank=True, related_name="joint_registers"
    )
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    data_subjects = models.TextField(_("data subjects"), blank=True)
    sources = models.TextField(_("sources"), blank=True)
    disclosures = models.TextField(_("disclosures"), blank=True)
    transfers_outside_eea = models.CharField(
        _("transfers outside the EU/EEA"),
        max_length=12,
        choices=Transfers.choices,
        default=Transfers.UNSPECIFIED,
    )
    transfers_details = models.TextField(_("transfers: what the statement says"), blank=True)
    retention = models.TextField(_("retention"), blank=True)
    security_measures = models.TextField(_("security measures"), blank=True)
    estimated_data_subjects = models.PositiveIntegerField(
        _("estimated number of data subjects"), null=True, blank=True
    )
    source = models.ForeignKey(
        SourceDocument,
        verbose_name=_("source document"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registers",
    )
    other_sections = models.JSONField(_("other sections of the statement"), default=list, blank=True)
    import_warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["name", "pk"]
        constraints = [
            # Importing a statement again must find the register it created (issue 4).
            models.UniqueConstraint(Lower("name"), "controller", name="register_name_unique_per_controller"),
            # NULLs are distinct to a unique index: a statement that names no controller needs its own.
            models.UniqueConstraint(
                Lower("name"),
                condition=models.Q(controller__isnull=True),
                name="register_name_unique_without_controller",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def highest_class(self) -> DataClass | None:
        classes = [item.data_class for item in self.data_items.all()]
        return DataClass(max(classes)) if classes else None

    @property
    def has_special_categories(self) -> bool:
        return any(item.special_category for item in self.data_items.all())

    @property
    def has_henkilotunnus(self) -> bool:
        return any(item.henkilotunnus for item in self.data_items.all())


class DataItem(models.Model):
    """One kind of personal data a register holds, with its ENISA class (DPC 1-4)."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="data_items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("data item"), max_length=500)
    data_class = models.PositiveSmallIntegerField(_("class"), choices=DATA_CLASS_CHOICES)
    suggested_class = models.PositiveSmallIntegerField(_("suggested class"), choices=DATA_CLASS_CHOICES)
    special_category = models.BooleanField(_("special category (GDPR Art. 9-10)"), default=False)
    henkilotunnus = models.BooleanField(_("henkilötunnus"), default=False)

    class Meta:
        verbose_name = _("data item")
        verbose_name_plural = _("data items")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def class_label(self) -> str:
        return str(DATA_CLASS_LABELS[DataClass(self.data_class)])

    @property
    def suggested_label(self) -> str:
        return str(DATA_CLASS_LABELS[DataClass(self.suggested_class)])
