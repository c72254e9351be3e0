"""The register pages: the catalogue, one register beside its statement, editing, importing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from incidents.importer.forms import StatementUploadForm, StatementUploadHandler, uploaded_content
from incidents.importer.service import ImportReport, StatementFile, highest_class, registers_import
from incidents.models import Register
from incidents.registers.classification import DATA_CLASS_LABELS
from incidents.registers.forms import DataItemFormSet, RegisterForm
from incidents.registers.services import REGISTER_FIELDS, register_update, registers_search
from incidents.roles import Permission
from incidents.views.access import role_required

REGISTERS_PER_PAGE = 50


@require_GET
@role_required(Permission.VIEW_EVERYTHING.perm)
def register_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = Paginator(registers_search(query), REGISTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/registers/list.html",
        {"page": page, "query": query, "class_labels": DATA_CLASS_LABELS},
    )


@require_GET
@role_required(Permission.VIEW_EVERYTHING.perm)
def register_detail(request: HttpRequest, pk: int) -> HttpResponse:
    register = get_object_or_404(
        Register.objects.select_related("controller", "source").prefetch_related(
            "data_items", "joint_controllers"
        ),
        pk=pk,
    )
    shown = []
    for name in REGISTER_FIELDS[1:]:
        value = (
            register.get_transfers_outside_eea_display()
            if name == "transfers_outside_eea"
            else getattr(register, name)
        )
        shown.append((name, getattr(Register._meta.get_field(name), "verbose_name", name), value))
    return render(request, "incidents/registers/detail.html", {"register": register, "fields": shown})


@require_http_methods(["GET", "POST"])
@role_required(Permission.MANAGE_REGISTERS.perm)
def register_edit(request: HttpRequest, pk: int) -> HttpResponse:
    register = get_object_or_404(Register, pk=pk)
    posted = request.POST if request.method == "POST" else None
    form = RegisterForm(posted, instance=register)
    items = DataItemFormSet(posted, instance=register, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        kept = [
            item.values()
            for item in items.forms
            if item.cleaned_data and not item.cleaned_data.get("DELETE") and item.cleaned_data.get("text")
        ]
        changes = register_update(
            actor=request.user,
            register=register,
            values={name: form.cleaned_data[name] for name in REGISTER_FIELDS},
            items=kept,
            now=timezone.now(),
            request=request,
        )
        if changes:
            messages.success(request, _("Saved. Changed: %(fields)s.") % {"fields": ", ".join(changes)})
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("register_detail", pk=register.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "incidents/registers/edit.html",
        {"register": register, "form": form, "items": items},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@role_required(Permission.MANAGE_REGISTERS.perm)
@csrf_exempt  # only so that the upload handler goes in before the body is read: checked below
def register_import(request: HttpRequest) -> HttpResponse:
    request.upload_handlers = [StatementUploadHandler(request), *request.upload_handlers]
    return _register_import(request)


@csrf_protect
def _register_import(request: HttpRequest) -> HttpResponse:
    form = (
        StatementUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else StatementUploadForm()
    )
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            files = [
                StatementFile(name=upload.name or _("(unnamed file)"), content=uploaded_content(upload))
                for upload in form.cleaned_data["statements"]
            ]
            report = registers_import(
                actor=request.user, files=files, dry_run=form.cleaned_data["dry_run"], now=timezone.now()
            )
            status = 400 if report.failed and len(report.failed) == len(report.files) else 200
        else:
            status = 400
    return render(
        request,
        "incidents/registers/import.html",
        {"form": form, "report": report, "files": _report_rows(report) if report else []},
        status=status,
    )


def _readable(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(part) for part in value)
    return "" if value is None else str(value)


def _report_rows(report: ImportReport) -> list[dict[str, Any]]:
    """What each file gave, in the shape the page shows it."""
    rows = []
    for outcome in report.files:
        registers = []
        for register in outcome.registers:
            top = highest_class(register)
            registers.append(
                {
                    "id": register.register_id,
                    "name": register.parsed.register_name,
                    "controller": register.parsed.controller.name,
                    "created": register.created,
                    "changes": {
                        field: [_readable(v) for v in values] for field, values in register.changes.items()
                    },
                    "warnings": register.parsed.warnings,
                    "highest": DATA_CLASS_LABELS[top] if top else None,
                    "items": [
                        (
                            item.text,
                            DATA_CLASS_LABELS[item.classification.data_class],
                            item.classification.special_category,
                            item.classification.henkilotunnus,
                        )
                        for item in register.parsed.data_items
                    ],
                }
            )
        rows.append({"source": outcome.source, "error": outcome.error, "registers": registers})
    return rows
