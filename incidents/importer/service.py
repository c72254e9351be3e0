"""The act of importing privacy statements: one transaction per file, audited per register."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from incidents.audit import audit_record
from incidents.audit.context import Actor
from incidents.importer.decoding import StatementRejected, statement_read
from incidents.importer.parties import Controller
from incidents.importer.statement import ParsedRegister, ParsedStatement, statement_parse
from incidents.models import Organisation, Register, SourceDocument
from incidents.registers.business_id import business_id_valid
from incidents.registers.classification import DataClass
from incidents.registers.services import (
    DataItemValues,
    data_items_of,
    data_items_replace,
    register_snapshot,
    snapshot_changes,
)
from incidents.roles import Permission, require

ActorLike = AbstractBaseUser | AnonymousUser | Actor | None


@dataclass(frozen=True)
class StatementFile:
    name: str
    content: bytes  # may be cut at MAX_UPLOAD_BYTES + 1: enough to refuse it as too large


@dataclass
class RegisterOutcome:
    parsed: ParsedRegister
    register_id: int | None
    created: bool
    changes: dict[str, list[Any]]


@dataclass
class FileOutcome:
    source: str
    error: str | None = None
    registers: list[RegisterOutcome] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [outcome for outcome in self.files if outcome.error]


def _organisation_find(name: str, business_id: str | None) -> Organisation | None:
    if business_id:
        found = Organisation.objects.filter(business_id=business_id).first()
        if found is not None:
            return found
    return Organisation.objects.filter(name__iexact=name).order_by("pk").first()


def _organisation_for(
    controller: Controller | None, name: str | None, *, actor: ActorLike, now: dt.datetime, dry_run: bool
) -> Organisation | None:
    """The controller's organisation, created on first import. Only a business ID whose check
    digit holds is stored; a wrong one stays in the import's warnings."""
    if not name:
        return None
    business_id = controller.business_id if controller else None
    valid_id = business_id if business_id and business_id_valid(business_id) else None
    found = _organisation_find(name, valid_id)
    if found is not None:
        return found
    organisation = Organisation.objects.create(
        name=name,
        business_id=valid_id or "",
        address=(controller.address or "") if controller else "",
        email=(controller.email or "") if controller else "",
        phone=(controller.phone or "") if controller else "",
    )
    if not dry_run:
        audit_record(
            action="organisation.created",
            actor=actor,
            obj=organisation,
            data={"fields": {"name": organisation.name, "business_id": organisation.business_id}},
            now=now,
        )
    return organisation


def _items_for(parsed: ParsedRegister, existing: list[DataItemValues]) -> list[DataItemValues]:
    """The statement's items; an item the statement still lists keeps the class a user gave it."""
    kept = {item.text.lower(): item for item in existing}
    items = []
    for item in parsed.data_items:
        suggested = DataItemValues(
            item.text,
            item.classification.data_class,
            item.classification.special_category,
            item.classification.henkilotunnus,
            item.classification.data_class,
        )
        earlier = kept.get(item.text.lower())
        items.append(suggested if earlier is None else replace(earlier, suggested_class=suggested.data_class))
    return items


def _register_save(
    parsed: ParsedRegister, source: SourceDocument, *, actor: ActorLike, now: dt.datetime, dry_run: bool
) -> RegisterOutcome:
    controller = _organisation_for(
        parsed.controller, parsed.controller.name, actor=actor, now=now, dry_run=dry_run
    )
    joint = [
        organisation
        for name in parsed.joint_controllers
        if (organisation := _organisation_for(None, name, actor=actor, now=now, dry_run=dry_run))
    ]
    name = parsed.register_name or _("Register in %(file)s") % {"file": parsed.source}
    register = (
        Register.objects.select_for_update().filter(controller=controller, name__iexact=name).first()
        if controller is not None
        else Register.objects.select_for_update().filter(controller__isnull=True, name__iexact=name).first()
    )
    created = register is None
    register = register or Register(name=name, controller=controller)
    before = register_snapshot(register)
    existing = data_items_of(register) if not created else []
    register.name = name
    register.contact_person = parsed.contact.person or ""
    register.contact_email = parsed.contact_email or ""
    register.contact_phone = parsed.contact_phone or ""
    for attribute in ("purpose", "legal_basis", "data_subjects", "sources", "disclosures", "retention"):
        setattr(register, attribute, getattr(parsed, attribute) or "")
    register.security_measures = parsed.security_measures or ""
    register.transfers_outside_eea = parsed.transfers.value
    register.transfers_details = parsed.transfers_details or ""
    register.source = source
    register.other_sections = parsed.other_sections
    register.import_warnings = parsed.warnings
    register.save()
    register.joint_controllers.set(joint)
    data_items_replace(register, _items_for(parsed, existing))
    after = register_snapshot(register)
    changes = {} if created else snapshot_changes(before, after)
    if not dry_run:
        audit_record(
            action="register.imported" if created else "register.updated",
            actor=actor,
            obj=register,
            data={"source": parsed.source, "sha256": source.sha256}
            | ({"fields": after} if created else {"changes": changes}),
            now=now,
        )
    return RegisterOutcome(parsed=parsed, register_id=register.pk, created=created, changes=changes)


def _file_import(
    statement: ParsedStatement, *, actor: ActorLike, now: dt.datetime, dry_run: bool
) -> list[RegisterOutcome]:
    with transaction.atomic():
        digest = hashlib.sha256(statement.text.encode("utf-8")).hexdigest()
        source = SourceDocument.objects.filter(sha256=digest).order_by(
            "pk"
        ).first() or SourceDocument.objects.create(
            filename=statement.source,
            text=statement.text,
            sha256=digest,
            law_basis=statement.law_basis or "",
            document_date=statement.document_date,
            imported_at=now,
            imported_by=actor if isinstance(actor, User) else None,
        )
        outcomes = [
            _register_save(parsed, source, actor=actor, now=now, dry_run=dry_run)
            for parsed in statement.registers
        ]
        if dry_run:
            # Everything above ran to tell what would change; none of it is kept.
            transaction.set_rollback(True)
    if dry_run:
        for outcome in outcomes:
            outcome.register_id = None if outcome.created else outcome.register_id
    return outcomes


def registers_import(
    *, actor: ActorLike, files: Sequence[StatementFile], dry_run: bool = False, now: dt.datetime
) -> ImportReport:
    """Import each file in its own transaction: a file that fails leaves nothing behind and does
    not stop the others. A person needs the right to manage registers; the command line (no
    person, or an Actor the command names) runs with the machine's own authority."""
    if isinstance(actor, AbstractBaseUser | AnonymousUser):
        require(actor, Permission.MANAGE_REGISTERS)
    report = ImportReport(dry_run=dry_run)
    for statement_file in files:
        outcome = FileOutcome(source=statement_file.name)
        report.files.append(outcome)
        try:
            decoded = statement_read(source=statement_file.name, content=statement_file.content)
            statement = statement_parse(source=statement_file.name, text=decoded.text)
            for register in statement.registers:  # what the reading changed, first
                register.warnings[:0] = decoded.warnings
            outcome.registers = _file_import(statement, actor=actor, now=now, dry_run=dry_run)
        except StatementRejected as rejected:
            outcome.error = str(rejected)
            if not dry_run:
                # Nothing of the file is kept, but the attempt is: an auditor sees what was refused.
                with transaction.atomic():
                    audit_record(
                        action="register.import_refused",
                        actor=actor,
                        object_type="incidents.sourcedocument",
                        data={"source": statement_file.name, "reason": outcome.error},
                        now=now,
                    )
        except DatabaseError as error:
            outcome.error = _("%(file)s: could not be saved (%(error)s); nothing from it was imported.") % {
                "file": statement_file.name,
                "error": error,
            }
    return report


def highest_class(outcome: RegisterOutcome) -> DataClass | None:
    classes = [item.classification.data_class for item in outcome.parsed.data_items]
    return max(classes) if classes else None
