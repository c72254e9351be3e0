"""The form of the organisation page: who the organisation is and which regimes apply to it."""

from __future__ import annotations

from typing import Any

from django import forms

from incidents.forms.incidents import NamedErrorsMixin
from incidents.models import Organisation
from incidents.models.organisation import MAX_PROCESSOR_NOTICE_HOURS
from incidents.services.organisations import ORGANISATION_FIELDS


class OrganisationForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model's validators decide; the browser is only told the same bounds.
        hours = self.fields["processor_notice_hours"]
        hours.widget.attrs.update(min=1, max=MAX_PROCESSOR_NOTICE_HOURS)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ORGANISATION_FIELDS}
