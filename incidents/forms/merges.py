"""The forms of a mail merge: start one from a recipients' CSV, record its letters as sent."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.choices import MergeOutput
from incidents.forms.incidents import MomentField, NamedErrorsForm


class MergeCreateForm(NamedErrorsForm):
    file = forms.FileField(
        label=_("Recipients' file (CSV)"),
        help_text=_(
            "Columns: name, address, postcode, city, country, e-mail, language (fi, sv or en) and, if "
            "known, the data affected for each person. UTF-8 or Windows-1252, separated by , or ;."
        ),
    )
    output = forms.ChoiceField(
        label=_("Letters as"), choices=MergeOutput.choices, initial=MergeOutput.ZIP, widget=forms.RadioSelect
    )
    skip_problem_rows = forms.BooleanField(
        label=_("Skip the rows with problems"),
        required=False,
        help_text=_("Those people get no letter from this merge."),
    )


class MergeSentForm(NamedErrorsForm):
    sent_at = MomentField(label=_("Sent at"))
    channel = forms.CharField(label=_("Channel"), help_text=_("E.g. letter post, e-mail."))
