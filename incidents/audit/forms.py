"""The auditor's filter of the trail, shared by the trail page and the export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.audit.selectors import AuditFilters
from incidents.moments import OUT_OF_RANGE, moment_in_range
from incidents.numbers import ID_MAX

# The browser's own date-time picker; seconds so that a range can be as narrow as an event.
_LOCAL_DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
)


class AuditFilterForm(forms.Form):
    incident = forms.IntegerField(label=_("Incident"), required=False, min_value=1, max_value=ID_MAX)
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
        return AuditFilters(
            incident_id=data.get("incident"),
            actor=data.get("actor") or None,
            action=data.get("action") or None,
            since=data.get("since"),
            until=data.get("until"),
        )
