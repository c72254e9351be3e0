"""Every stored document checked against the SHA-256 recorded when it was stored: the notices'
files, and each merge's recipients' file and letters. What an operator runs after restoring a
backup (docs/DEPLOY.md), beside verify_audit."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models.fields.files import FieldFile

from incidents.models import Merge, NoticeFile

BLOCK = 1024 * 1024


@dataclass
class DocumentsReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _recorded() -> Iterator[tuple[str, FieldFile, str]]:
    """(what it is, its file, the SHA-256 recorded) for every stored document."""
    for stored in NoticeFile.objects.order_by("pk").iterator():
        yield f"notice {stored.notice_id}, file {stored.pk}", stored.file, stored.sha256
    for merge in Merge.objects.order_by("pk").iterator():
        yield f"merge {merge.pk}, recipients' file", merge.csv_file, merge.csv_sha256
        if merge.result:
            yield f"merge {merge.pk}, letters", merge.result, merge.result_sha256


def documents_verify() -> DocumentsReport:
    report = DocumentsReport()
    for what, stored, recorded in _recorded():
        report.checked += 1
        try:
            with stored.open("rb") as handle:
                digest = hashlib.sha256()
                for block in iter(lambda handle=handle: handle.read(BLOCK), b""):  # type: ignore[misc]
                    digest.update(block)
        except (FileNotFoundError, OSError):
            report.problems.append(f"{what}: {stored.name} is missing from the storage")
            continue
        if digest.hexdigest() != recorded:
            report.problems.append(f"{what}: {stored.name} does not match its recorded SHA-256 {recorded}")
    return report
