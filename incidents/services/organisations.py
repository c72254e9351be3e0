"""The acts on an organisation: change who it is and which regimes apply to it, and so its clocks."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from docx import Document

from incidents.audit import audit_record
from incidents.choices import CLOCK_STATES, NoticeAudience, NoticeState
from incidents.clocks.obligations import obligations_refresh
from incidents.errors import DomainError, NotFound
from incidents.models import AppliesWhen, Incident, Notice, Obligation, Organisation
from incidents.roles import Permission, require

# The fields a security lead or DPO edits and the audit trail compares, in the order they are shown.
ORGANISATION_FIELDS = (
    "name",
    "business_id",
    "address",
    "email",
    "phone",
    "dpo_name",
    "dpo_email",
    "dpo_phone",
    "role",
    "nis2_scope",
    "dora_scope",
    "processor_notice_hours",
)
# What the clocks depend on: which regimes apply to the incidents the organisation handles, and,
# as a processor's customer, the name its Art. 33(2) notices are owed under and their hours.
CLOCK_FIELDS = frozenset({"name", "role", "nis2_scope", "dora_scope", "processor_notice_hours"})


def organisation_field_label(name: str) -> str:
    return capfirst(str(getattr(Organisation._meta.get_field(name), "verbose_name", name)))


def _check(organisation: Organisation) -> None:
    """Refuse the first field at fault, naming it (uniqueness too: see
    Organisation.validate_constraints)."""
    others = [field.name for field in Organisation._meta.fields if field.name not in ORGANISATION_FIELDS]
    try:
        organisation.full_clean(exclude=others)
    except ValidationError as error:
        problems = error.message_dict
        name = next((name for name in ORGANISATION_FIELDS if name in problems), None)
        if name is None:
            raise DomainError(" ".join(error.messages)) from None
        raise DomainError(f"{organisation_field_label(name)}: {problems[name][0]}", field=name) from None


def _controlled_by(organisation: Organisation) -> Q:
    """Incidents affecting a register this organisation controls, alone or jointly."""
    return Q(affected__register__controller=organisation) | Q(
        affected__register__joint_controllers=organisation
    )


def _notices_follow_rename(organisation: Organisation, *, old_name: str, new_name: str) -> int:
    """A processor's notices are owed under the customer's name (Obligation.recipient_detail):
    they follow the customer's new name, so that the refresh finds the notice it already owes
    (or has sent) instead of opening a second clock for the same customer."""
    owed_under_new_name = Obligation.objects.filter(
        template__applies_when=AppliesWhen.PROCESSOR, recipient_detail=new_name
    ).values("incident_id")
    controlled = Incident.objects.filter(_controlled_by(organisation)).values("pk")
    # The notices not sent yet follow too; a sent one keeps the name it was sent to.
    Notice.objects.filter(
        audience=NoticeAudience.CONTROLLER, customer=old_name, incident__in=controlled
    ).exclude(state=NoticeState.SENT).update(customer=new_name)
    return (
        Obligation.objects.filter(
            template__applies_when=AppliesWhen.PROCESSOR, recipient_detail=old_name, incident__in=controlled
        )
        .exclude(incident__in=owed_under_new_name)
        .update(recipient_detail=new_name)
    )


LETTERHEAD_MAX_BYTES = 10 * 1024 * 1024


def organisation_letterhead_set(
    *, actor: AbstractBaseUser, organisation_id: int, file: IO[bytes] | None, now: datetime
) -> Organisation:
    """The organisation's letterhead (.docx: header, footer, logo, styles) that its notices are
    written on; None removes it."""
    require(actor, Permission.MANAGE_REGISTERS)
    digest = None
    if file is not None:
        data = file.read(LETTERHEAD_MAX_BYTES + 1)
        if len(data) > LETTERHEAD_MAX_BYTES:
            raise DomainError(_("Letterhead: at most 10 MB."), field="letterhead")
        try:
            Document(io.BytesIO(data))
        except Exception:
            raise DomainError(
                _("Letterhead: upload a Word document (.docx) that Word opens."), field="letterhead"
            ) from None
        digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        if organisation is None:
            raise NotFound(_("No such organisation."), field="organisation")
        if file is None:
            organisation.letterhead = ""
        else:
            organisation.letterhead.save(f"{digest}.docx", ContentFile(data), save=False)
        organisation.save(update_fields=["letterhead"])
        audit_record(
            action="organisation.letterhead_set",
            actor=actor,
            obj=organisation,
            data={"sha256": digest},
            now=now,
        )
    return organisation


def _clocks_refresh(
    organisation: Organisation, *, recipient_names: Iterable[str], now: datetime
) -> list[str]:
    """Refresh the clocks of the open incidents the organisation handles and of those that owe it
    a processor notice; return their references."""
    # Dismissed ones too: their NIS2 and DORA clocks may still run.
    concerned = Incident.objects.filter(state__in=CLOCK_STATES).filter(
        Q(organisation=organisation)
        | Q(
            obligations__template__applies_when=AppliesWhen.PROCESSOR,
            obligations__recipient_detail__in=list(recipient_names),
        )
    )
    ids = set(concerned.values_list("pk", flat=True))
    # Locked in one order, so that two such refreshes at once cannot deadlock on each other's rows.
    incidents = (
        Incident.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    references = []
    for incident in incidents:
        obligations_refresh(incident, now=now)
        references.append(incident.reference)
    return references


def organisation_update(
    *, actor: AbstractBaseUser, organisation_id: int, values: Mapping[str, Any], now: datetime
) -> dict[str, list[Any]]:
    """Change an organisation; return each changed field with its before and after, as audited.

    Its role, NIS2 and DORA scope decide which clocks the incidents it handles have, and its
    contractual hours when each Art. 33(2) notice owed to it is due: the open incidents concerned
    are brought in line in the same transaction.
    """
    require(actor, Permission.MANAGE_REGISTERS)
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise DomainError(
            _("These cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(pk=organisation_id).first()
        if organisation is None:
            raise NotFound(_("No such organisation."), field="organisation")
        before = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
        for name, value in values.items():
            setattr(organisation, name, value.strip() if isinstance(value, str) else value)
        _check(organisation)
        changes = {
            name: [before[name], getattr(organisation, name)]
            for name in ORGANISATION_FIELDS
            if getattr(organisation, name) != before[name]
        }
        if not changes:
            return changes
        try:
            # A savepoint: after a refused write PostgreSQL answers no query until it is rolled back.
            with transaction.atomic():
                organisation.save(update_fields=list(changes))
        except IntegrityError:
            # Another organisation took the name or business ID between the check and the save.
            _check(organisation)
            raise
        data: dict[str, Any] = {"changes": changes}
        if "name" in changes:
            renamed = _notices_follow_rename(
                organisation, old_name=before["name"], new_name=organisation.name
            )
            if renamed:
                data["notices_renamed"] = renamed
        if CLOCK_FIELDS & set(changes):
            names = {before["name"], organisation.name}
            data["incidents_refreshed"] = _clocks_refresh(organisation, recipient_names=names, now=now)
        audit_record(action="organisation.changed", actor=actor, obj=organisation, data=data, now=now)
    return changes
