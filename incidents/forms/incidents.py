"""The intake form, and one form per act on an incident or on one of its clocks.

Times are entered on the organisation's clock (settings.TIME_ZONE); Django turns them into aware
datetimes and refuses a wall-clock time that a DST change makes ambiguous or skips.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.models import fields_for_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from incidents.lifecycle.steps import STEPS, InputKind, StepInput
from incidents.models import Incident, Register
from incidents.moments import OUT_OF_RANGE, moment_in_range
from incidents.numbers import ID_MAX, NUMBER_MAX
from incidents.services.incidents import EDITABLE_FACTS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MomentField(forms.DateTimeField):
    """A moment on the organisation's clock, refused outside the moments a breach can have."""

    default_error_messages = {"range": OUT_OF_RANGE}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", LocalDateTimeInput())
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not moment_in_range(value):
            raise forms.ValidationError(self.error_messages["range"], code="range")


def _moment(label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = "") -> MomentField:
    return MomentField(label=label, required=required, help_text=help_text)


def _text(label: StrOrPromise, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class NamedErrorsMixin(forms.BaseForm):
    """Every error names its field (the design's "Bad input"), also Django's own ("This field is
    required."). Errors from the services already name theirs and are added afterwards."""

    def full_clean(self) -> None:
        super().full_clean()
        errors_by_field = self.errors
        for name, errors in list(errors_by_field.items()):
            if name == NON_FIELD_ERRORS or name not in self.fields:
                continue
            label = capfirst(str(self.fields[name].label or name))
            errors_by_field[name] = self.error_class(
                [f"{label}: {message}" for message in errors], renderer=self.renderer
            )


class NamedErrorsForm(NamedErrorsMixin, forms.Form):
    """A form whose every error names its field."""


class _RegisterChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        register: Register = obj
        return f"{register.name} ({register.controller})" if register.controller else register.name


def _registers_field() -> _RegisterChoice:
    return _RegisterChoice(
        label=_("Affected registers"),
        queryset=Register.objects.select_related("controller").order_by("name", "pk"),
        required=False,
        help_text=_("The registers whose personal data may be involved; leave empty if not known yet."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class IntakeForm(NamedErrorsForm):
    """Only what is needed to start the clock; the rest is added on the incident's page."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("What happened"), rows=5)
    detected_at = _moment(
        _("Detected at"), help_text=_("Local time. The provisional clock counts from here.")
    )
    registers = _registers_field()


class VersionedForm(NamedErrorsForm):
    """An act on the incident as the user saw it: a newer version means someone else acted."""

    version = forms.IntegerField(widget=forms.HiddenInput, max_value=NUMBER_MAX)


class StepForm(VersionedForm):
    """A lifecycle step: its fields are the inputs of its row in lifecycle.steps.STEPS."""


def _step_field(spec: StepInput) -> forms.Field:
    if spec.kind == InputKind.MOMENT:
        return _moment(spec.label, required=spec.required, help_text=spec.help_text)
    if spec.kind == InputKind.TEXT:
        return _text(spec.label, required=spec.required, rows=spec.rows)
    if spec.kind == InputKind.FLAG:
        return forms.BooleanField(label=spec.label, required=False)
    assert spec.choices is not None
    return forms.ChoiceField(
        label=spec.label,
        choices=spec.choices.choices,
        required=spec.required,
        widget=forms.RadioSelect if spec.radio else None,
    )


@cache
def step_form(step: str) -> type[StepForm]:
    """The web form of a step, made from its row of STEPS: field names are the service's keyword
    arguments, as in the API."""
    fields = {spec.name: _step_field(spec) for spec in STEPS[step].inputs}
    name = "".join(part.capitalize() for part in step.split("_")) + "Form"
    return type(name, (StepForm,), fields)


class AwareForm(VersionedForm):
    aware_at = _moment(_("Aware at"))
    reason = _text(_("Reason for the change"), rows=2)


class KeepDecisionForm(VersionedForm):
    """The DPO keeps a decision that a stricter assessment marked for review."""

    reason = _text(_("Why the decision stands"), rows=3)


class RegistersForm(VersionedForm):
    registers = _registers_field()


class AffectedDataForm(VersionedForm):
    """Which of one affected register's data items were involved, and roughly how much: what the
    risk method starts from."""

    register = forms.IntegerField(widget=forms.HiddenInput, max_value=ID_MAX)
    data_items = forms.MultipleChoiceField(
        label=_("Data items involved"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every item of the register counts, the worst case."),
    )
    approx_subjects = forms.IntegerField(
        label=_("Approximate number of data subjects"), min_value=0, max_value=NUMBER_MAX, required=False
    )
    approx_records = forms.IntegerField(
        label=_("Approximate number of records"), min_value=0, max_value=NUMBER_MAX, required=False
    )

    def __init__(self, *args: Any, register: Register | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if register is None and self.is_bound:
            # Posted: the register is named in the form itself.
            register_id = self.data.get(self.add_prefix("register"), "")
            register = Register.objects.filter(pk=int(register_id)).first() if register_id.isdigit() else None
        items = list(register.data_items.all()) if register is not None else []
        field = self.fields["data_items"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(item.text, item.text) for item in items]


ADJUSTMENT_ROWS = 3


class AssessmentForm(VersionedForm):
    """The assessor's answers to the ENISA method; the form names the API's fields."""

    ease_of_identification = forms.ChoiceField(
        label=_("Ease of identification (EI)"),
        widget=forms.RadioSelect,
        choices=[
            ("negligible", _("Negligible (0.25)")),
            ("limited", _("Limited (0.5)")),
            ("significant", _("Significant (0.75)")),
            ("maximum", _("Maximum (1)")),
        ],
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        widget=forms.RadioSelect,
        choices=[
            ("none", _("Not breached (0)")),
            ("known_recipients", _("Disclosed to known recipients (+0.25)")),
            ("unknown_recipients", _("Disclosed to unknown recipients or made public (+0.5)")),
        ],
    )
    integrity = forms.ChoiceField(
        label=_("Integrity"),
        widget=forms.RadioSelect,
        choices=[
            ("none", _("Not breached (0)")),
            ("recoverable", _("Altered, but recoverable (+0.25)")),
            ("not_recoverable", _("Altered and not recoverable (+0.5)")),
        ],
    )
    availability = forms.ChoiceField(
        label=_("Availability"),
        widget=forms.RadioSelect,
        choices=[
            ("none", _("Not breached (0)")),
            ("temporary", _("Temporarily unavailable (+0.25)")),
            ("permanent", _("Lost for good (+0.5)")),
        ],
    )
    malicious = forms.BooleanField(label=_("Malicious intent (+0.5)"), required=False)
    vulnerable_subjects = forms.BooleanField(
        label=_("Children or other vulnerable people among the data subjects"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(ADJUSTMENT_ROWS):
            self.fields[f"step_{row}"] = forms.TypedChoiceField(
                label=_("DPC adjustment %(number)d") % {"number": row + 1},
                choices=[("", _("none")), ("1", _("one step up (+1)")), ("-1", _("one step down (-1)"))],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"reason_{row}"] = forms.CharField(
                label=_("Reason for adjustment %(number)d") % {"number": row + 1},
                required=False,
                max_length=500,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(ADJUSTMENT_ROWS):
            if data.get(f"step_{row}") is not None and not str(data.get(f"reason_{row}", "")).strip():
                self.add_error(f"reason_{row}", _("give the reason for this step."))
        return data

    @staticmethod
    def answers_of(data: dict[str, Any]) -> dict[str, Any]:
        """The cleaned form as the API names the answers (services.assessments takes them)."""
        adjustments = [
            {"step": data[f"step_{row}"], "reason": data[f"reason_{row}"]}
            for row in range(ADJUSTMENT_ROWS)
            if data.get(f"step_{row}") is not None
        ]
        names = ("ease_of_identification", "confidentiality", "integrity", "availability", "malicious")
        return {"dpc_adjustments": adjustments, **{name: data[name] for name in names}} | {
            "vulnerable_subjects": data["vulnerable_subjects"]
        }


class FactsForm(VersionedForm):
    """The facts incident_update may change, as the model describes them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in fields_for_model(Incident, fields=EDITABLE_FACTS).items():
            if isinstance(field, forms.DateTimeField):
                field = MomentField(label=field.label, required=field.required, help_text=field.help_text)
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            self.fields[name] = field
        self.fields["organisation"].help_text = _(
            "Its role and its NIS2 and DORA scope decide the clocks; as a processor, it owes each "
            "affected controller customer a notice (Art. 33(2))."
        )

    def facts(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FACTS}


class MetForm(NamedErrorsForm):
    met_at = _moment(_("Sent at"))
    note = _text(_("How it was sent (channel, case number)"), rows=2)
    complete = forms.BooleanField(
        label=_("Complete notice (untick for a preliminary one: Art. 33(4) follows)"),
        required=False,
        initial=True,
    )
    delay_reason = _text(
        _("Reasons for the delay, if sent after the deadline (Art. 33(1))"), required=False, rows=2
    )


class DelayReasonForm(NamedErrorsForm):
    reason = _text(_("Reasons for the delay (Art. 33(1))"), rows=2)


class WaiveForm(NamedErrorsForm):
    reason = _text(_("Reason for waiving"), rows=2)


class TargetForm(NamedErrorsForm):
    due_at = _moment(_("Target"))
