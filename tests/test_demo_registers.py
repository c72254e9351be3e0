"""make run's demo data: the five seed statements become registers, once."""

from __future__ import annotations

import pytest

from incidents.models import AuditEvent, Register
from tests.test_demo import load_demo


@pytest.mark.django_db
def test_the_demo_imports_the_seed_statements_once_as_the_system() -> None:
    output = load_demo()
    assert "Demo registers: 6 imported from the seed statements." in output
    assert Register.objects.count() == 6
    assert Register.objects.filter(controller__name="Wauranoja Oy").count() == 2
    events = AuditEvent.objects.filter(action="register.imported")
    assert events.count() == 6
    assert {event.actor_username for event in events} == {None}

    again = load_demo()
    assert "Demo registers: 0 imported from the seed statements." in again
    assert Register.objects.count() == 6
    assert AuditEvent.objects.filter(action__startswith="register.").count() == 6
