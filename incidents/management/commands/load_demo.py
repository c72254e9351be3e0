from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from incidents.demo import demo_incidents_create, demo_registers_import, demo_users_create


class Command(BaseCommand):
    help = "Create the demo users (security lead, DPO, auditor) and print the passwords of new ones once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the existing demo users new passwords and print them.",
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="The address the app is served at, shown with the passwords (make run passes its PORT).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Its incidents would stay for good in the append-only trail and the breach record.
            raise CommandError(
                "The demo data is not for production (BREACHCLOCK_ENV=production): its incidents and "
                "their audit events could never be removed. Create the real users in the admin."
            )
        credentials = demo_users_create(reset_passwords=options["reset_passwords"])
        self.stdout.write(f"Demo users (sign in at {options['url']}):")
        for credential in credentials:
            shown = credential.password or "(unchanged; new password: make demo-passwords)"
            self.stdout.write(f"  {credential.role.label!s:<24} {credential.username:<8} {shown}")
        if any(credential.password for credential in credentials):
            self.stdout.write(
                self.style.WARNING("These passwords are shown only now and stored only as hashes; note them.")
            )
        now = timezone.now()
        report = demo_registers_import(now=now)
        created = sum(register.created for outcome in report.files for register in outcome.registers)
        self.stdout.write(f"Demo registers: {created} imported from the seed statements.")
        for outcome in report.failed:
            self.stderr.write(f"  {outcome.error}")
        incidents = demo_incidents_create(now=now)
        self.stdout.write(f"Demo incidents: {len(incidents)} logged against the seed registers.")
