"""The database itself refuses to change or remove audit events, whoever asks."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from incidents.audit import audit_record
from incidents.models import AuditEvent, AuditTrailIsAppendOnly

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def event(db: None) -> AuditEvent:
    with transaction.atomic():
        return audit_record(action="incident.confirmed", data={"note": "original"})


def raw(sql: str, params: list[Any] | None = None) -> None:
    # A savepoint, so that the refused statement does not spoil the test's transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_raw_sql_update_is_refused(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"):
        raw(f"UPDATE {TABLE} SET data = %s WHERE seq = %s", ['{"note":"forged"}', event.seq])
    assert AuditEvent.objects.get(seq=event.seq).data == '{"note":"original"}'


def test_raw_sql_delete_is_refused(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"):
        raw(f"DELETE FROM {TABLE} WHERE seq = %s", [event.seq])
    assert AuditEvent.objects.filter(seq=event.seq).exists()


def test_truncate_is_refused_on_postgresql(event: AuditEvent) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE trigger covers emptying the table")
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"):
        raw(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.filter(seq=event.seq).exists()


def test_the_orm_refuses_to_change_or_delete(event: AuditEvent) -> None:
    event.action = "incident.dismissed"
    with pytest.raises(AuditTrailIsAppendOnly, match="cannot be changed"):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly, match="cannot be deleted"):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly, match="cannot be changed"):
        AuditEvent.objects.filter(seq=event.seq).update(action="incident.dismissed")
    with pytest.raises(AuditTrailIsAppendOnly, match="cannot be deleted"):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(seq=event.seq).action == "incident.confirmed"


@pytest.mark.django_db
def test_the_system_check_notices_missing_triggers() -> None:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from tests.support.triggers import triggers_dropped

    call_command("check", databases=["default"])
    with triggers_dropped(), pytest.raises(SystemCheckError, match="append-only triggers are missing"):
        call_command("check", databases=["default"])
