"""What the API returns: incidents, their affected registers, their obligations and deadlines."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from incidents.api.fields import AnswerSerializer, UtcDateTimeField, deadline, deadline_field
from incidents.lifecycle.steps import STEPS, step_refusals
from incidents.models import DataItem, Incident, IncidentRegister, Obligation, Organisation, Register
from incidents.registers.classification import DataClass
from incidents.registers.services import REGISTER_FIELDS


def _now(context: dict[str, Any]) -> Any:
    return context.get("now") or timezone.now()


class AffectedRegisterSerializer(AnswerSerializer):
    id = serializers.IntegerField(source="register_id", read_only=True)
    name = serializers.CharField(source="register.name", read_only=True)

    class Meta:
        model = IncidentRegister
        fields = ["id", "name", "data_items", "approx_subjects", "approx_records"]
        read_only_fields = fields


class StepSerializer(serializers.Serializer):
    step = serializers.CharField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class DecisionReviewSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(help_text="The version of the assessment that proposes more.")
    proposal = serializers.CharField()
    assessed_at = UtcDateTimeField()


class OrganisationOfIncident(serializers.Serializer):
    """The organisation handling an incident, as every answer about an incident names it."""

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        }
    )
    def get_organisation(self, incident: Incident) -> dict | None:
        if incident.organisation is None:
            return None
        return {"id": incident.organisation.pk, "name": incident.organisation.name}


class IncidentSummarySerializer(AnswerSerializer):
    """One incident in a list: enough to order by urgency without further queries."""

    detected_at = UtcDateTimeField(read_only=True)
    aware_at = UtcDateTimeField(read_only=True)
    next_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = ["id", "reference", "title", "state", "version", "detected_at", "aware_at", "next_deadline"]
        read_only_fields = fields

    @deadline_field
    def get_next_deadline(self, incident: Incident) -> dict | None:
        return deadline(
            incident.next_due_at,
            now=_now(self.context),
            open_=incident.is_open,
            provisional=incident.next_due_provisional,
        )


class IncidentSerializer(OrganisationOfIncident, IncidentSummarySerializer):
    """The whole incident, with the steps the requesting user can or cannot take now, and why."""

    confirmed_at = UtcDateTimeField(read_only=True)
    occurred_from = UtcDateTimeField(read_only=True)
    occurred_to = UtcDateTimeField(read_only=True)
    dora_major_at = UtcDateTimeField(read_only=True)
    subjects_target_at = UtcDateTimeField(read_only=True)
    decided_at = UtcDateTimeField(read_only=True)
    closed_at = UtcDateTimeField(read_only=True)
    created_at = UtcDateTimeField(read_only=True)
    updated_at = UtcDateTimeField(read_only=True)
    organisation = serializers.SerializerMethodField()
    reporter = serializers.CharField(source="reporter.get_username", read_only=True)
    handler = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    registers = AffectedRegisterSerializer(source="affected", many=True, read_only=True)
    steps = serializers.SerializerMethodField()
    notify_authority = serializers.CharField(
        read_only=True, help_text='"yes", "no", or "" before the decision.'
    )
    notify_subjects = serializers.CharField(
        read_only=True,
        help_text='"yes", "no", an Art. 34(3) exception ("a", "b", "c"), or "" before the decision.',
    )
    decision_review = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            *IncidentSummarySerializer.Meta.fields,
            "description",
            "confirmed_at",
            "occurred_from",
            "occurred_to",
            "organisation",
            "reporter",
            "handler",
            "registers",
            "breach_confidentiality",
            "breach_integrity",
            "breach_availability",
            "cause_intent",
            "cause_origin",
            "processor_involved",
            "processor_name",
            "measures",
            "likely_consequences",
            "nis2_significant",
            "dora_major_at",
            "notify_authority",
            "notify_subjects",
            "risk_decision",
            "art34_exception",
            "decision_reason",
            "decision_review",
            "decision_review_reason",
            "subjects_target_at",
            "decided_at",
            "decided_by",
            "dismissed_reason",
            "reopen_reason",
            "closed_at",
            "steps",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_handler(self, incident: Incident) -> str | None:
        return incident.handler.get_username() if incident.handler else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by(self, incident: Incident) -> str | None:
        return incident.decided_by.get_username() if incident.decided_by else None

    @extend_schema_field(DecisionReviewSerializer(allow_null=True))
    def get_decision_review(self, incident: Incident) -> dict[str, Any] | None:
        """The later assessment whose proposal is stricter than the decision, while the DPO has
        neither kept nor revised the decision."""
        review = incident.decision_review_of
        if review is None:
            return None
        return {"assessment": review.version, "proposal": review.proposal, "assessed_at": review.created_at}

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, incident: Incident) -> list[dict[str, Any]]:
        """The steps leading out of the current state, for this user (an API client's buttons)."""
        request = self.context.get("request")
        if request is None:
            return []
        steps = []
        for step in STEPS:
            meta = getattr(Incident, step)._django_fsm
            if meta.get_transition(incident.state) is None:
                continue
            reasons = [refusal.message for refusal in step_refusals(incident, step, request.user)]
            steps.append({"step": step, "allowed": not reasons, "reasons": reasons})
        return steps


class ObligationSerializer(AnswerSerializer):
    """One clock: who must be told what, by when, and where it stands."""

    incident = serializers.SerializerMethodField()
    code = serializers.CharField(source="template.code", read_only=True)
    regime = serializers.CharField(source="template.regime", read_only=True)
    stage = serializers.CharField(source="template.stage", read_only=True)
    recipient = serializers.SerializerMethodField()
    law_reference = serializers.CharField(source="template.law_reference", read_only=True)
    target_by_dpo = serializers.BooleanField(source="template.target_by_dpo", read_only=True)
    start_at = UtcDateTimeField(read_only=True)
    due_at = UtcDateTimeField(read_only=True)
    deadline = serializers.SerializerMethodField()
    met_at = UtcDateTimeField(read_only=True)
    closed_by = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = [
            "id",
            "incident",
            "code",
            "regime",
            "stage",
            "recipient",
            "law_reference",
            "target_by_dpo",
            "status",
            "start_at",
            "due_at",
            "deadline",
            "complete",
            "met_at",
            "met_note",
            "delay_reason",
            "waived_reason",
            "closed_by",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {"type": "object", "properties": {"id": {"type": "integer"}, "reference": {"type": "string"}}}
    )
    def get_incident(self, obligation: Obligation) -> dict[str, Any]:
        return {"id": obligation.incident_id, "reference": obligation.incident.reference}

    @extend_schema_field(serializers.CharField())
    def get_recipient(self, obligation: Obligation) -> str:
        if obligation.recipient_detail:
            return f"{obligation.template.recipient}: {obligation.recipient_detail}"
        return obligation.template.recipient

    @deadline_field
    def get_deadline(self, obligation: Obligation) -> dict | None:
        return deadline(
            obligation.due_at, now=_now(self.context), open_=obligation.is_open, provisional=False
        )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_closed_by(self, obligation: Obligation) -> str | None:
        return obligation.closed_by.get_username() if obligation.closed_by else None


_ERROR_DETAIL = inline_serializer(
    name="ErrorDetail",
    fields={
        "code": serializers.CharField(
            help_text="validation_error, invalid, transition_refused, changed_meanwhile, not_authenticated, "
            "authentication_failed, permission_denied, not_found, method_not_allowed, ..."
        ),
        "message": serializers.CharField(),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Each input at fault and what is wrong with it.",
        ),
        "reasons": serializers.ListField(
            child=serializers.CharField(), help_text="Every reason a lifecycle step was refused."
        ),
    },
)


class ErrorSerializer(serializers.Serializer):
    error = _ERROR_DETAIL


# The refusals every endpoint can give, for the schema.
READ_ERRORS: dict[int, Any] = {401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
# A list refuses a query parameter it does not take, or a page or filter out of bounds.
LIST_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: ErrorSerializer}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: ErrorSerializer, 409: ErrorSerializer}


# --- Registers and the organisations they name ------------------------------------------------


class OrganisationRefSerializer(AnswerSerializer):
    """An organisation as a register names it: its controller or a joint controller."""

    class Meta:
        model = Organisation
        fields = ["id", "name", "business_id"]
        read_only_fields = fields


class DataItemSerializer(AnswerSerializer):
    """One kind of personal data a register holds, with its ENISA class: the code and its DPC."""

    data_class = serializers.SerializerMethodField()
    dpc = serializers.IntegerField(source="data_class", read_only=True, min_value=1, max_value=4)

    class Meta:
        model = DataItem
        fields = ["id", "text", "data_class", "dpc", "special_category", "henkilotunnus"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=[data_class.code for data_class in DataClass]))
    def get_data_class(self, item: DataItem) -> str:
        return DataClass(item.data_class).code


class RegisterSummarySerializer(AnswerSerializer):
    """One register in a list: who controls it and what data it holds, classified."""

    controller = OrganisationRefSerializer(read_only=True, allow_null=True)
    joint_controllers = OrganisationRefSerializer(many=True, read_only=True)
    data_items = DataItemSerializer(many=True, read_only=True)

    class Meta:
        model = Register
        fields = ["id", "name", "controller", "joint_controllers", "data_items"]
        read_only_fields = fields


class RegisterSerializer(RegisterSummarySerializer):
    """The whole record of processing: everything the register page shows and the editor changes."""

    class Meta:
        model = Register
        fields = list(dict.fromkeys([*RegisterSummarySerializer.Meta.fields, *REGISTER_FIELDS]))
        read_only_fields = fields


class OrganisationSerializer(AnswerSerializer):
    """A controller or processor: its role, the regimes it is in scope of, and its DPO."""

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "business_id",
            "role",
            "nis2_scope",
            "dora_scope",
            "processor_notice_hours",
            "dpo_name",
            "dpo_email",
            "dpo_phone",
        ]
        read_only_fields = fields
