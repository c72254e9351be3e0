"""The filters of the breach record, as the page's GET form and the API's query parameters take
them: one definition, so that the page and the API narrow the record alike."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from incidents.breach_record.selectors import BreachRecordFilters
from incidents.choices import IncidentState, RiskDecision
from incidents.models import Organisation, Register

# The browser's own date picker, which sends ISO dates (2026-03-27); Django reads ISO in any
# language besides the language's own format (27.3.2026).
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Far enough for any real record, near enough that the day's bounds stay within what a datetime holds.
_DATE_RANGE = [MinValueValidator(date(1900, 1, 1)), MaxValueValidator(date(9998, 12, 31))]
ANY = _("Any")


def _id(chosen: object) -> int | None:
    """The id of the chosen row, or the id itself where a form takes it as a number (the API's)."""
    if chosen is None or isinstance(chosen, int):
        return chosen
    return int(chosen.pk)  # type: ignore[attr-defined]


class BreachRecordFilterForm(forms.Form):
    detected_from = forms.DateField(
        label=_("Detected from"), required=False, widget=_DATE, validators=_DATE_RANGE
    )
    detected_to = forms.DateField(
        label=_("Detected to"),
        required=False,
        widget=_DATE,
        validators=_DATE_RANGE,
        help_text=_("Incidents detected on this day are included."),
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", ANY), *IncidentState.choices])
    risk_decision = forms.ChoiceField(
        label=_("Risk decision"), required=False, choices=[("", ANY), *RiskDecision.choices]
    )
    register = forms.ModelChoiceField(
        label=_("Affected register"),
        queryset=Register.objects.order_by("name", "pk"),
        required=False,
        empty_label=ANY,
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation handling this breach"),
        queryset=Organisation.objects.order_by("name", "pk"),
        required=False,
        empty_label=ANY,
    )

    def clean(self) -> dict[str, object] | None:
        cleaned = super().clean()
        since, until = self.cleaned_data.get("detected_from"), self.cleaned_data.get("detected_to")
        if since is not None and until is not None and until < since:
            self.add_error("detected_to", _("The end of the range must not be before its start."))
        return cleaned

    def filters(self) -> BreachRecordFilters:
        """The validated filters; call only after is_valid()."""
        data = self.cleaned_data
        register, organisation = data.get("register"), data.get("organisation")
        return BreachRecordFilters(
            detected_from=data.get("detected_from"),
            detected_to=data.get("detected_to"),
            state=data.get("state") or None,
            risk_decision=data.get("risk_decision") or None,
            register_id=_id(register),
            organisation_id=_id(organisation),
        )
