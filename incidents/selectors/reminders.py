"""The reminders a person sees on the dashboard."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef

from incidents.choices import CLOCK_STATES, OPEN_OBLIGATION_STATUSES
from incidents.models import Reminder
from incidents.roles import Role, roles_of


def dashboard_reminders(*, user: Any, now: datetime, limit: int = 10) -> list[Reminder]:
    """The latest reminder sent for each still-open obligation, newest first: of the incidents the
    user handles, or of every incident for a DPO (the people the reminders are e-mailed to).

    Only each obligation's latest: "90 % of the time used" makes the 50 % and 75 % ones history.
    """
    roles = roles_of(user)
    if not roles:
        return []
    later = Reminder.objects.filter(
        obligation=OuterRef("obligation"), sent_at__isnull=False, fire_at__gt=OuterRef("fire_at")
    )
    reminders = Reminder.objects.filter(
        sent_at__isnull=False,
        sent_at__lte=now,
        obligation__status__in=OPEN_OBLIGATION_STATUSES,
        obligation__incident__state__in=CLOCK_STATES,
    ).filter(~Exists(later))
    if Role.DPO not in roles:
        reminders = reminders.filter(obligation__incident__handler=user)
    return list(
        reminders.select_related("obligation__template", "obligation__incident").order_by("-sent_at", "-pk")[
            :limit
        ]
    )
