"""Notices: draft one from an incident, read and edit its free text, fetch its Word document with
its SHA-256, take it through review, and record it as sent."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.api.fields import ID_MAX, NUMBER_MAX, AnswerSerializer, UtcDateTimeField
from incidents.api.inputs import StrictSerializer
from incidents.api.lookup import incident_get
from incidents.api.parsers import JSONParser
from incidents.api.permissions import acting_user
from incidents.api.serializers import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from incidents.api.views.incidents import KEY, _valid
from incidents.choices import NoticeAudience, NoticeLanguage, NoticePhase
from incidents.models import Notice
from incidents.notices.content import SECTIONS, notice_content
from incidents.roles import Permission
from incidents.services import notices as service

NOTICE_ID = OpenApiParameter("notice_id", int, OpenApiParameter.PATH, description="The notice's id.")


class NoticeFileSerializer(serializers.Serializer):
    kind = serializers.CharField()
    sha256 = serializers.CharField()
    bytes = serializers.IntegerField(source="size")
    created_at = UtcDateTimeField()


class NoticeSerializer(AnswerSerializer):
    incident = serializers.CharField(source="incident.reference", read_only=True)
    author = serializers.CharField(source="author.get_username", read_only=True)
    approved_by = serializers.SerializerMethodField()
    approved_at = UtcDateTimeField(read_only=True)
    sent_at = UtcDateTimeField(read_only=True)
    created_at = UtcDateTimeField(read_only=True)
    files = NoticeFileSerializer(many=True, read_only=True)
    obligation = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "incident",
            "audience",
            "language",
            "phase",
            "customer",
            "follows",
            "state",
            "version",
            "sections",
            "author",
            "review_sha256",
            "review_comment",
            "approved_sha256",
            "approved_by",
            "approved_at",
            "sent_at",
            "channel",
            "recipient",
            "case_number",
            "sent_sha256",
            "obligation",
            "files",
            "created_at",
        ]
        read_only_fields = fields

    def get_approved_by(self, notice: Notice) -> str | None:
        return notice.approved_by.get_username() if notice.approved_by else None

    def get_obligation(self, notice: Notice) -> str | None:
        """The open obligation that sending this notice meets, by its code."""
        obligation = service.notice_obligation(notice)
        return obligation.template.code if obligation else None


class NoticeCreateInput(StrictSerializer):
    audience = serializers.ChoiceField(choices=NoticeAudience.choices)
    language = serializers.ChoiceField(choices=NoticeLanguage.choices)
    phase = serializers.ChoiceField(choices=NoticePhase.choices)
    customer = serializers.CharField(required=False, default="", allow_blank=True)
    follows = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=ID_MAX
    )


_SECTION_KEYS = sorted({section.key for sections in SECTIONS.values() for section in sections})


@extend_schema_field(
    {
        "type": "object",
        "properties": {key: {"type": "string"} for key in _SECTION_KEYS},
        "additionalProperties": False,
        "description": "The free-text sections to change, by key; which keys a notice has depends "
        "on its audience (the notice's own ``sections`` show them).",
    }
)
class SectionsField(serializers.DictField):
    pass


class NoticeEditInput(StrictSerializer):
    sections = SectionsField(child=serializers.CharField(allow_blank=True, trim_whitespace=False))
    expected_version = serializers.IntegerField(required=False, min_value=1, max_value=NUMBER_MAX)


class NoticeStepInput(StrictSerializer):
    """approve: nothing but the version."""

    expected_version = serializers.IntegerField(required=False, min_value=1, max_value=NUMBER_MAX)


class NoticeSubmitInput(NoticeStepInput):
    file = serializers.FileField(required=False, help_text="An edited .docx to review instead.")


class NoticeRequestChangesInput(NoticeStepInput):
    comment = serializers.CharField(help_text="What to change.")


class NoticeWithdrawInput(NoticeStepInput):
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class NoticeSentInput(StrictSerializer):
    sent_at = UtcDateTimeField()
    channel = serializers.CharField()
    recipient = serializers.CharField()
    case_number = serializers.CharField(required=False, default="", allow_blank=True)
    file = serializers.FileField(
        required=False, help_text="The file sent, if not the approved one as generated."
    )


def _notice(notice_id: int) -> Notice:
    return get_object_or_404(
        Notice.objects.select_related("incident", "author", "approved_by").prefetch_related("files"),
        pk=notice_id,
    )


def notice_response(notice_id: int, *, code: int = status.HTTP_200_OK) -> Response:
    return Response(NoticeSerializer(_notice(notice_id)).data, status=code)


class IncidentNoticesView(APIView):
    write_permission = Permission.DRAFT_NOTICE

    @extend_schema(
        operation_id="notices_list",
        parameters=[KEY],
        responses={200: NoticeSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, key: str) -> Response:
        """The incident's notices, oldest first."""
        incident = incident_get(key)
        notices = incident.notices.select_related("incident", "author", "approved_by").prefetch_related(
            "files"
        )
        return Response(NoticeSerializer(notices, many=True).data)

    @extend_schema(
        operation_id="notices_create",
        parameters=[KEY],
        request=NoticeCreateInput,
        responses={201: NoticeSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, key: str) -> Response:
        """Draft a notice, its free-text sections prefilled from the incident. ``customer`` names the
        controller customer of a ``controller`` notice; ``follows`` the earlier notice of a
        ``supplementary`` one."""
        incident = incident_get(key)
        inputs = _valid(NoticeCreateInput, request.data)
        notice = service.notice_create(
            incident_id=incident.pk, actor=acting_user(request), now=timezone.now(), **inputs
        )
        response = notice_response(notice.pk, code=status.HTTP_201_CREATED)
        response["Location"] = f"/api/notices/{notice.pk}/"
        return response


class NoticeDetailView(APIView):
    write_permission = Permission.DRAFT_NOTICE

    @extend_schema(
        operation_id="notices_read", parameters=[NOTICE_ID], responses={200: NoticeSerializer, **READ_ERRORS}
    )
    def get(self, request: Request, notice_id: int) -> Response:
        return notice_response(_notice(notice_id).pk)

    @extend_schema(
        operation_id="notices_update",
        parameters=[NOTICE_ID],
        request=NoticeEditInput,
        responses={200: NoticeSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, notice_id: int) -> Response:
        """New text for free-text sections (``sections``: name → text). An edit in review or after
        approval returns the notice to draft."""
        notice = _notice(notice_id)
        inputs = _valid(NoticeEditInput, request.data)
        service.notice_edit(
            notice_id=notice.pk,
            actor=acting_user(request),
            sections=inputs["sections"],
            expected_version=inputs.get("expected_version"),
            now=timezone.now(),
        )
        return notice_response(notice.pk)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentQuery(StrictSerializer):
    annex = serializers.BooleanField(
        required=False, default=False, help_text="The annex of sensitive details instead of the notice."
    )


class NoticeDocumentView(APIView):
    @extend_schema(
        operation_id="notices_document",
        parameters=[NOTICE_ID, DocumentQuery],
        responses={
            (200, DOCX): OpenApiResponse(
                OpenApiTypes.BINARY, description="The .docx; X-Content-SHA256 holds its hash."
            ),
            **LIST_ERRORS,
        },
    )
    def get(self, request: Request, notice_id: int) -> HttpResponse:
        """The notice's current .docx: as generated from its content now, or, once in review, approved
        or sent, the exact file reviewed; stored and in the trail."""
        query = _valid(DocumentQuery, request.query_params)
        notice = _notice(notice_id)
        if query["annex"] and notice_content(notice).annex is None:
            raise NotFound(_("This notice has no sensitive details to send separately."))
        document = service.notice_generate(
            notice_id=notice.pk,
            actor=acting_user(request),
            now=timezone.now(),
            annex=query["annex"],
            download=True,
        )
        response = HttpResponse(document.data, content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        response["X-Content-SHA256"] = document.sha256
        return response


STEP_INPUTS: dict[str, type[NoticeStepInput]] = {
    "submit": NoticeSubmitInput,
    "approve": NoticeStepInput,
    "request_changes": NoticeRequestChangesInput,
    "withdraw": NoticeWithdrawInput,
}
STEPS = tuple(STEP_INPUTS)
STEP_HELP = {
    "submit": "Submit the draft for review, optionally with an edited ``file`` (.docx) to review instead.",
    "approve": "Approve the notice under review (a DPO, not its author); its SHA-256 fixes it.",
    "request_changes": "Send the notice back to its author with a ``comment`` saying what to change (a DPO).",
    "withdraw": "Withdraw the notice, with an optional ``reason``.",
}


def _step_permission(view: APIView) -> Permission:
    step = view.kwargs.get("step", "")
    return Permission.APPROVE_NOTICE if step in ("approve", "request_changes") else Permission.DRAFT_NOTICE


class NoticeStepView(APIView):
    """A step by a name that is no step: 404 naming the steps; each real step has a view and a path
    of its own (:func:`notice_step_view`), documented with its own inputs."""

    write_permission = staticmethod(_step_permission)
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(exclude=True)
    def post(self, request: Request, notice_id: int, step: str) -> Response:
        if step not in STEPS:
            raise NotFound(
                _("No such step: %(step)s. The steps: %(steps)s.") % {"step": step, "steps": ", ".join(STEPS)}
            )
        notice = _notice(notice_id)
        inputs = _valid(STEP_INPUTS[step], request.data)
        common: dict[str, Any] = {
            "notice_id": notice.pk,
            "actor": acting_user(request),
            "now": timezone.now(),
            "expected_version": inputs.get("expected_version"),
        }
        if step == "submit":
            service.notice_submit(**common, file=inputs.get("file"))
        elif step == "approve":
            service.notice_approve(**common)
        elif step == "request_changes":
            service.notice_request_changes(**common, comment=inputs["comment"])
        else:
            service.notice_withdraw(**common, reason=inputs["reason"])
        return notice_response(notice.pk)


def notice_step_view(step: str) -> type[NoticeStepView]:
    """The view of one review step, documented with that step's inputs."""
    view = type(f"Notice{step.title().replace('_', '')}View", (NoticeStepView,), {})
    inputs = STEP_INPUTS[step]
    schema = extend_schema(
        exclude=False,
        operation_id=f"notices_{step}",
        description=STEP_HELP[step],
        parameters=[NOTICE_ID],
        request={"application/json": inputs, "multipart/form-data": inputs},
        responses={200: NoticeSerializer, **WRITE_ERRORS},
    )
    return extend_schema_view(post=schema)(view)


class NoticeSentView(APIView):
    write_permission = Permission.APPROVE_NOTICE
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="notices_sent",
        parameters=[NOTICE_ID],
        request={"application/json": NoticeSentInput, "multipart/form-data": NoticeSentInput},
        responses={200: NoticeSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, notice_id: int) -> Response:
        """Record the approved notice as sent; a ``file`` sent must be the approved one. Its
        obligation is met (or missed, sent late) by it."""
        notice = _notice(notice_id)
        inputs = _valid(NoticeSentInput, request.data)
        service.notice_mark_sent(
            notice_id=notice.pk, actor=acting_user(request), now=timezone.now(), **inputs
        )
        return notice_response(notice.pk)
