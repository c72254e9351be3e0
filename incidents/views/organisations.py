"""The organisation pages: every organisation with the regimes that apply to it, and editing one."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from incidents.errors import DomainError
from incidents.forms.organisations import OrganisationForm
from incidents.models import Organisation
from incidents.roles import Permission
from incidents.services.organisations import (
    organisation_field_label,
    organisation_letterhead_set,
    organisation_update,
)
from incidents.views.access import role_required
from incidents.views.incidents import VIEW


@require_GET
@role_required(VIEW)
def organisation_list(request: HttpRequest) -> HttpResponse:
    # Organisations are the few controllers the registers name, not thousands: one page holds them.
    organisations = Organisation.objects.annotate(register_count=Count("registers", distinct=True)).order_by(
        "name", "pk"
    )
    return render(request, "incidents/organisations/list.html", {"organisations": organisations})


@require_http_methods(["GET", "POST"])
@role_required(Permission.MANAGE_REGISTERS.perm)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    # The form writes what was posted onto its instance while it checks it; the page's heading
    # keeps the name as it is saved.
    heading = str(organisation)
    form = OrganisationForm(request.POST if request.method == "POST" else None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            changes = organisation_update(
                actor=request.user,  # type: ignore[arg-type]
                organisation_id=pk,
                values=form.values(),
                now=timezone.now(),
            )
        except DomainError as error:
            # Beside the field it names, or at the top of the form.
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if changes:
                labels = [organisation_field_label(name) for name in changes]
                messages.success(request, _("Saved. Changed: %(fields)s.") % {"fields": ", ".join(labels)})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(reverse("organisation_list") + f"#organisation-{pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "incidents/organisations/edit.html",
        {"organisation": organisation, "heading": heading, "form": form},
        status=status,
    )


@require_POST
@role_required(Permission.MANAGE_REGISTERS.perm)
def organisation_letterhead(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload (or remove) the letterhead the organisation's notices are written on."""
    get_object_or_404(Organisation, pk=pk)
    upload = request.FILES.get("letterhead")
    if upload is None and request.POST.get("remove") != "1":
        messages.error(request, _("Letterhead: choose a .docx file to upload."))
        return redirect("organisation_edit", pk=pk)
    try:
        organisation_letterhead_set(
            actor=request.user,  # type: ignore[arg-type]
            organisation_id=pk,
            file=upload,
            now=timezone.now(),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved the letterhead.") if upload else _("Removed the letterhead."))
    return redirect("organisation_edit", pk=pk)
