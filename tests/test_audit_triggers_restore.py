"""Triggers removed by someone with raw access to the database are put back by one command, and
the system check that found them missing is satisfied again; nothing else changes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from incidents.audit import audit_record
from incidents.audit.context import SYSTEM
from incidents.audit.verify import database_triggers_present
from incidents.checks import audit_trail_checks
from incidents.models import AuditEvent
from tests.support.triggers import _run


@pytest.mark.django_db(transaction=True)
def test_removed_triggers_are_restored_and_the_trail_is_append_only_again() -> None:
    with transaction.atomic():
        audit_record(action="test.event", actor=SYSTEM, data={})
    events = AuditEvent.objects.count()
    _run("default", "drop")
    assert [message.id for message in audit_trail_checks(None, databases=["default"])] == ["incidents.E002"]
    out = StringIO()
    call_command("audit_triggers_restore", stdout=out)
    assert "in place again" in out.getvalue()
    assert database_triggers_present("default")
    assert audit_trail_checks(None, databases=["default"]) == []
    # The database itself refuses again, whoever asks (the ORM refuses before it gets there).
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM incidents_auditevent")
    assert AuditEvent.objects.count() == events
