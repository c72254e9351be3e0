"""The dashboard's task, run in the worker process: 10,000 open incidents, then GET / as a DPO.

The incidents are bulk-created with the fields the services keep (next_due_at, obligations with
their deadlines and statuses), as if each had been logged and confirmed; going through the
services 10,000 times would measure them, not the page.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from incidents.models import (
    Incident,
    IncidentRegister,
    IncidentState,
    Obligation,
    ObligationTemplate,
    Organisation,
    Register,
)
from incidents.roles import Role

BATCH = 2000


def _incidents(count: int, dpo: User) -> None:
    now = timezone.now()
    organisation = Organisation.objects.create(name="Esimerkki Oy", role=Organisation.Role.CONTROLLER)
    register = Register.objects.create(name="Asiakasrekisteri", controller=organisation)
    art33 = ObligationTemplate.objects.get(code="gdpr-33-1")
    incidents = []
    for number in range(count):
        # Spread over ± 4 days of deadlines; every fifth one still unconfirmed (provisional).
        detected = now - timedelta(minutes=(number * 37) % (7 * 24 * 60))
        confirmed = number % 5 != 0
        aware = detected + timedelta(minutes=30) if confirmed else None
        start = aware or detected
        incidents.append(
            Incident(
                reference=f"INC-2026-{number + 1:05d}",
                organisation=organisation,
                title=f"Incident {number + 1}",
                description="Customer data may have been exposed.",
                detected_at=detected,
                aware_at=aware,
                confirmed_at=aware,
                reporter=dpo,
                handler=dpo,
                state=IncidentState.CONFIRMED if confirmed else IncidentState.REPORTED,
                next_due_at=start + timedelta(hours=art33.period_hours or 72),
                next_due_provisional=not confirmed,
                next_due_template=art33,
            )
        )
    Incident.objects.bulk_create(incidents, batch_size=BATCH)
    created = list(Incident.objects.filter(state=IncidentState.CONFIRMED).only("pk", "aware_at"))
    IncidentRegister.objects.bulk_create(
        [
            IncidentRegister(incident_id=pk, register=register)
            for pk in Incident.objects.values_list("pk", flat=True)
        ],
        batch_size=BATCH,
    )
    Obligation.objects.bulk_create(
        [
            Obligation(
                incident=incident,
                template=art33,
                start_at=incident.aware_at,
                due_at=incident.aware_at + timedelta(hours=72),
                status="missed" if incident.aware_at + timedelta(hours=72) <= now else "pending",
            )
            for incident in created
        ],
        batch_size=BATCH,
    )


def measure(*, incidents: int, requests: int, warmup: int) -> dict[str, Any]:
    dpo = User.objects.create_user("dpo", "dpo@breachclock.example", "not used: force_login")
    dpo.groups.add(Group.objects.get(name=Role.DPO.value))
    started = time.perf_counter()
    _incidents(incidents, dpo)
    setup = time.perf_counter() - started
    client = Client()
    client.force_login(dpo)
    timings = []
    for attempt in range(warmup + requests):
        started = time.perf_counter()
        response = client.get("/")
        elapsed = time.perf_counter() - started
        if response.status_code != 200 or response.content.count(b'data-testid="incident-row"') != 50:
            raise RuntimeError(f"the dashboard answered {response.status_code} without its 50 rows")
        if attempt >= warmup:
            timings.append(elapsed)
    return {
        "incidents": Incident.objects.count(),
        "obligations": Obligation.objects.count(),
        "setup_seconds": setup,
        "timings": timings,
        "median": statistics.median(timings),
    }
