from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from incidents.audit.verify import Checkpoint, chain_verify, database_triggers_present


class Command(BaseCommand):
    help = (
        "Walk the audit chain: exit 0 with the event count and head hash, or non-zero naming the first "
        "broken sequence number and why."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            type=Path,
            metavar="FILE",
            help="A checkpoint file or export manifest recorded earlier: also check that the chain still "
            "holds that head (catches a cut-off tail or a rewritten table).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = None
        if options["checkpoint"] is not None:
            try:
                checkpoint = Checkpoint.from_file(options["checkpoint"])
            except ValueError as error:
                raise CommandError(str(error)) from error
        report = chain_verify(checkpoint=checkpoint)
        if not report.ok:
            raise CommandError(report.summary(), returncode=2)
        self.stdout.write(f"OK: {report.count} events; head #{report.head_seq} {report.head_hash}")
        if checkpoint is not None:
            self.stdout.write(f"Matches {checkpoint.source} at #{checkpoint.seq}.")
        if not database_triggers_present():
            self.stderr.write(
                self.style.WARNING("Warning: the append-only triggers are missing from the database.")
            )
