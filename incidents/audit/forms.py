"""The auditor's filter of the trail, shared by the trail page and the export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.audit.selectors import AuditFilters, incident_id_by_reference
from incidents.moments import OUT_OF_RANGE, moment_in_range
from incidents.numbers import ID_MAX

# The browser's own date-time picker; seconds so that a range can be as narrow as an event.
_LOCAL_DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
)


class AuditFilterForm(forms.Form):
    # The incident as people and tickets name it; see clean_reference for how it is read.
    reference = forms.CharField(
        label=_("Incident reference"),
        required=False,
        max_length=20,  # Incident.reference
        help_text=_("e.g. INC-2026-0006"),
    )
    # The incident's internal id, which the trail used to be filtered by: still taken from an
    # address or an export request that carries it, but not offered in the form.
    incident = forms.IntegerField(
        label=_("Incident"), required=False, min_value=1, max_value=ID_MAX, widget=forms.HiddenInput
    )
    actor = forms.CharField(label=_("Actor (username)"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("The start of an action code, e.g. auth. or incident.confirmed"),
    )
    # Naive input is read in the current time zone (settings.TIME_ZONE): the auditor's local time.
    since = forms.DateTimeField(label=_("From"), required=False, widget=_LOCAL_DATETIME)
    until = forms.DateTimeField(
        label=_("To"), required=False, widget=_LOCAL_DATETIME, help_text=_("Events before this time.")
    )

    _reference_incident_id: int | None = None  # what clean_reference found

    def clean_reference(self) -> str:
        """The reference as stored (INC-2026-0006), however it was typed: in any case, with spaces
        around it (the field strips them). One that names no incident is refused, rather than
        showing an empty trail that would read as "nothing happened to this incident"."""
        reference = str(self.cleaned_data.get("reference") or "").upper()
        self._reference_incident_id = incident_id_by_reference(reference) if reference else None
        if reference and self._reference_incident_id is None:
            raise forms.ValidationError(
                _("No incident has the reference %(reference)s."),
                code="unknown_reference",
                params={"reference": reference},
            )
        return reference

    def clean(self) -> dict[str, object] | None:
        cleaned = super().clean()
        for name in ("since", "until"):
            moment = self.cleaned_data.get(name)
            if moment is not None and not moment_in_range(moment):
                self.add_error(name, OUT_OF_RANGE)
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        if since is not None and until is not None and until <= since:
            self.add_error("until", _("The end of the range must be after its start."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The validated filters; call only after is_valid()."""
        data = self.cleaned_data
        # The reference, the form's own field, wins over an id an old address still carries.
        return AuditFilters(
            incident_id=self._reference_incident_id or data.get("incident"),
            actor=data.get("actor") or None,
            action=data.get("action") or None,
            since=data.get("since"),
            until=data.get("until"),
        )
