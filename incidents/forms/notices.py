"""The forms of a notice's page: draft one, edit its free text, review it, record it as sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.choices import NoticeAudience, NoticeLanguage, NoticePhase, NoticeState
from incidents.forms.incidents import MomentField, NamedErrorsForm
from incidents.models import Incident
from incidents.notices.content import SECTIONS
from incidents.numbers import NUMBER_MAX


class NoticeCreateForm(NamedErrorsForm):
    audience = forms.ChoiceField(label=_("To"), choices=NoticeAudience.choices)
    language = forms.ChoiceField(label=_("Language"), choices=NoticeLanguage.choices)
    phase = forms.ChoiceField(label=_("Phase"), choices=NoticePhase.choices, initial=NoticePhase.COMPLETE)
    customer = forms.ChoiceField(
        label=_("Customer"), required=False, help_text=_("For a notice to a controller customer.")
    )
    follows = forms.TypedChoiceField(
        label=_("Follows"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("For a supplementary notice."),
    )

    def __init__(
        self, *args: Any, customers: list[str], earlier: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].choices = [("", "—"), *((name, name) for name in customers)]  # type: ignore[attr-defined]
        self.fields["follows"].choices = [("", "—"), *earlier]  # type: ignore[attr-defined]


class NoticeVersionedForm(NamedErrorsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, max_value=NUMBER_MAX)


def sections_form(audience: str) -> type[NoticeVersionedForm]:
    """The free-text sections of an audience's notice as a form; its field names are the API's."""
    fields = {
        section.key: forms.CharField(
            label=section.label,
            required=False,
            help_text=section.help_text,
            strip=False,
            widget=forms.Textarea(attrs={"rows": section.rows}),
        )
        for section in SECTIONS[audience]
    }
    return type(f"{audience.title()}SectionsForm", (NoticeVersionedForm,), fields)


class NoticeSubmitForm(NoticeVersionedForm):
    file = forms.FileField(
        label=_("Edited file (optional)"),
        required=False,
        help_text=_("A .docx edited outside the tool, to be approved instead of the generated one."),
    )


class NoticeCommentForm(NoticeVersionedForm):
    comment = forms.CharField(label=_("What to change"), widget=forms.Textarea(attrs={"rows": 3}))


class NoticeWithdrawForm(NoticeVersionedForm):
    reason = forms.CharField(label=_("Reason for withdrawing"), required=False)


class NoticeSentForm(NamedErrorsForm):
    sent_at = MomentField(label=_("Sent at"))
    channel = forms.CharField(
        label=_("Channel"), help_text=_("E.g. the authority's e-service, e-mail, letter.")
    )
    recipient = forms.CharField(label=_("Recipient"))
    case_number = forms.CharField(label=_("Authority's case number"), required=False)
    file = forms.FileField(
        label=_("File sent (optional)"),
        required=False,
        help_text=_("Only if not the approved file as generated."),
    )


def notice_create_form(incident: Incident, data: Any = None) -> NoticeCreateForm:
    """The form that drafts a notice, offering the incident's customers and its notices sent."""
    customers = sorted(
        {
            row.register.controller.name
            for row in incident.affected.all()
            if row.register.controller is not None
        }
    )
    earlier = [
        (
            notice.pk,
            f"{NoticeAudience(notice.audience).label} · {notice.language} · "
            f"{notice.case_number or notice.pk}",
        )
        for notice in incident.notices.all()  # the incident page has them fetched already
        if notice.state == NoticeState.SENT
    ]
    return NoticeCreateForm(data, prefix="notice", customers=customers, earlier=earlier)
