from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from incidents.selectors.documents import documents_verify


class Command(BaseCommand):
    help = (
        "Check every stored document (notices' files, merges' recipients' files and letters) against "
        "the SHA-256 recorded when it was stored: exit 0 with the count, or non-zero naming each one "
        "missing or changed. Run it, with verify_audit, after restoring a backup."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = documents_verify()
        if not report.ok:
            raise CommandError("\n".join(report.problems), returncode=2)
        self.stdout.write(f"OK: {report.checked} stored documents match their recorded SHA-256.")
