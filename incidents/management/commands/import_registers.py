from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from incidents.audit.context import SYSTEM
from incidents.importer import MAX_UPLOAD_BYTES
from incidents.importer.service import ImportReport, StatementFile, registers_import


def _read(path: str) -> StatementFile:
    """The file's bytes, at most one more than the larger limit (of Word and PDF files): enough to
    refuse a huge file of any kind unread."""
    try:
        with Path(path).open("rb") as handle:
            return StatementFile(name=path, content=handle.read(MAX_UPLOAD_BYTES + 1))
    except IsADirectoryError:
        raise CommandError(f"{path}: is a directory; name the statement files themselves.") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None


class Command(BaseCommand):
    help = (
        "Import registers from privacy statements (rekisteriseloste / tietosuojaseloste / "
        "dataskyddsbeskrivning): Word documents (.docx), PDFs with text, saved web pages (.html) or text "
        "files. Each file is imported on its own; the exit code is non-zero if any failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="+", metavar="FILE", help="Statement files: .docx, .pdf, .html, .txt or .md."
        )
        parser.add_argument("--dry-run", action="store_true", help="Read and report, and save nothing.")
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print one JSON list with an object per register found.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = []
        unreadable = []
        for path in options["files"]:
            try:
                files.append(_read(path))
            except CommandError as error:
                unreadable.append(str(error))
        report = registers_import(actor=SYSTEM, files=files, dry_run=options["dry_run"], now=timezone.now())
        errors = unreadable + [outcome.error for outcome in report.failed if outcome.error]
        for message in errors:
            self.stderr.write(message)
        if options["json"]:
            found = [register.parsed.as_json() for outcome in report.files for register in outcome.registers]
            self.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
        else:
            self._summary(report)
        if errors:
            raise CommandError(f"{len(errors)} of {len(options['files'])} files could not be imported.")

    def _summary(self, report: ImportReport) -> None:
        would = "would be " if report.dry_run else ""
        for outcome in report.files:
            for register in outcome.registers:
                name = register.parsed.register_name or "(no name)"
                if register.created:
                    self.stdout.write(f"{outcome.source}: {name}: {would}imported")
                elif register.changes:
                    self.stdout.write(f"{outcome.source}: {name}: {would}updated")
                    for field, (before, after) in register.changes.items():
                        self.stdout.write(f"    {field}: {before!r} -> {after!r}")
                else:
                    self.stdout.write(f"{outcome.source}: {name}: unchanged")
                for warning in register.parsed.warnings:
                    self.stdout.write(f"    warning: {warning}")
        if report.dry_run:
            self.stdout.write("Dry run: nothing was saved.")
