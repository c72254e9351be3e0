"""Mail merges: start one from an approved data-subject notice and a recipients' CSV, follow its
progress, fetch its letters, and record them as sent."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.api.errors import error_body
from incidents.api.fields import AnswerSerializer, UtcDateTimeField
from incidents.api.inputs import StrictSerializer
from incidents.api.parsers import JSONParser
from incidents.api.permissions import acting_user
from incidents.api.serializers import READ_ERRORS, WRITE_ERRORS, ErrorSerializer
from incidents.api.views.incidents import _valid
from incidents.api.views.notices import NOTICE_ID, _notice
from incidents.choices import MergeOutput
from incidents.models import Merge
from incidents.roles import Permission
from incidents.services import merges as service

MERGE_ID = OpenApiParameter("merge_id", int, OpenApiParameter.PATH, description="The merge's id.")


class ProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        help_text="The row as a spreadsheet numbers it: 1 is the header, 0 the file."
    )
    column = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    fatal = serializers.BooleanField(help_text="Skipping rows does not fix it.")


class ReportSerializer(serializers.Serializer):
    csv_sha256 = serializers.CharField()
    encoding = serializers.CharField()
    delimiter = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    ignored_columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.IntegerField()
    recipients = serializers.IntegerField(help_text="Rows that would get a letter.")
    fatal = serializers.BooleanField()
    problems = ProblemSerializer(many=True)


class MergeSerializer(AnswerSerializer):
    notice = serializers.IntegerField(source="notice_id", read_only=True)
    incident = serializers.CharField(source="notice.incident.reference", read_only=True)
    letters_done = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True)
    problems = ProblemSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)
    created_at = UtcDateTimeField(read_only=True)
    finished_at = UtcDateTimeField(read_only=True, allow_null=True)
    sent_at = UtcDateTimeField(read_only=True, allow_null=True)
    result = serializers.SerializerMethodField()

    class Meta:
        model = Merge
        fields = [
            "id",
            "notice",
            "incident",
            "output",
            "state",
            "letters_done",
            "total",
            "rows",
            "problems",
            "csv_name",
            "csv_sha256",
            "templates",
            "result",
            "result_sha256",
            "result_size",
            "error",
            "created_by",
            "created_at",
            "finished_at",
            "sent_at",
            "channel",
        ]
        read_only_fields = fields

    def get_result(self, merge: Merge) -> str | None:
        return f"/api/merges/{merge.pk}/result/" if merge.result else None


class MergeCreateInput(StrictSerializer):
    file = serializers.FileField(help_text="The recipients' CSV: UTF-8 or Windows-1252, , or ;.")
    output = serializers.ChoiceField(choices=MergeOutput.choices, default=MergeOutput.ZIP)
    skip_problem_rows = serializers.BooleanField(
        default=False, help_text="Write the letters of the rows without problems; the others get none."
    )


class MergeSentInput(StrictSerializer):
    sent_at = UtcDateTimeField()
    channel = serializers.CharField()


def _merge(merge_id: int) -> Merge:
    return get_object_or_404(Merge.objects.select_related("notice__incident", "created_by"), pk=merge_id)


def merge_response(merge_id: int, *, code: int = status.HTTP_200_OK) -> Response:
    return Response(MergeSerializer(_merge(merge_id)).data, status=code)


REFUSED = inline_serializer(
    "MergeRefused", fields={"error": ErrorSerializer().fields["error"], "report": ReportSerializer()}
)


class NoticeMergesView(APIView):
    write_permission = Permission.DRAFT_NOTICE
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="merges_list",
        parameters=[NOTICE_ID],
        responses={200: MergeSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, notice_id: int) -> Response:
        """The notice's merges, oldest first."""
        notice = _notice(notice_id)
        merges = notice.merges.select_related("notice__incident", "created_by")
        return Response(MergeSerializer(merges, many=True).data)

    @extend_schema(
        operation_id="merges_create",
        parameters=[NOTICE_ID],
        request={"multipart/form-data": MergeCreateInput},
        responses={202: MergeSerializer, 422: REFUSED, **WRITE_ERRORS},
    )
    def post(self, request: Request, notice_id: int) -> Response:
        """Check the recipients' CSV and start the merge (202, the job to follow), or answer the
        validation report (422): every problem by row and column, nothing written until the file is
        fixed or ``skip_problem_rows`` is set. A column of personal identity codes is never taken."""
        notice = _notice(notice_id)
        inputs: dict[str, Any] = _valid(MergeCreateInput, request.data)
        upload = inputs["file"]
        try:
            merge = service.merge_create(
                notice_id=notice.pk,
                actor=acting_user(request),
                file=upload,
                filename=upload.name or "recipients.csv",
                output=inputs["output"],
                skip_problem_rows=inputs["skip_problem_rows"],
                now=timezone.now(),
            )
        except service.MergeRefused as refused:
            body = error_body("recipients_refused", refused.message, fields={"file": [refused.message]})
            body["report"] = service.report_dict(refused.report, refused.problems, refused.report_sha256)
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        response = merge_response(merge.pk, code=status.HTTP_202_ACCEPTED)
        response["Location"] = f"/api/merges/{merge.pk}/"
        return response


class MergeDetailView(APIView):
    @extend_schema(
        operation_id="merges_read", parameters=[MERGE_ID], responses={200: MergeSerializer, **READ_ERRORS}
    )
    def get(self, request: Request, merge_id: int) -> Response:
        """The job: its state, letters written of the total, the rows skipped, and the result's
        SHA-256 once it is done."""
        return merge_response(_merge(merge_id).pk)


class MergeResultView(APIView):
    @extend_schema(
        operation_id="merges_result",
        parameters=[MERGE_ID],
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The zip of letters (or the combined .docx); X-Content-SHA256 holds its hash.",
            ),
            **WRITE_ERRORS,
        },
    )
    def get(self, request: Request, merge_id: int) -> FileResponse:
        """The letters, for those who send them (security lead, DPO); the download is in the trail."""
        merge = _merge(merge_id)
        result = service.merge_result_open(merge_id=merge.pk, actor=acting_user(request), now=timezone.now())
        response = FileResponse(
            result.file, as_attachment=True, filename=result.filename, content_type=result.content_type
        )
        response["X-Content-SHA256"] = result.sha256
        return response


class MergeSentView(APIView):
    write_permission = Permission.APPROVE_NOTICE
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="merges_sent",
        parameters=[MERGE_ID],
        request=MergeSentInput,
        responses={200: MergeSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, merge_id: int) -> Response:
        """Record the letters as sent: the notices they were made from are sent with them, which
        meets the obligation to tell the data subjects (Art. 34)."""
        merge = _merge(merge_id)
        inputs = _valid(MergeSentInput, request.data)
        service.merge_mark_sent(merge_id=merge.pk, actor=acting_user(request), now=timezone.now(), **inputs)
        return merge_response(merge.pk)
