"""Concurrent writers still make one linear chain."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, connections, transaction

from incidents.audit import audit_record
from incidents.audit.verify import chain_verify
from incidents.models import AuditEvent

WRITERS = 8
EVENTS_EACH = 200


@pytest.mark.django_db(transaction=True)
def test_eight_writers_make_one_gapless_chain_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "runs on PostgreSQL (DATABASE_URL=postgres://...); SQLite serialises all writers by design"
        )
    start = AuditEvent.objects.count()
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            barrier.wait()
            for index in range(EVENTS_EACH):
                with transaction.atomic():
                    audit_record(action="test.concurrent", data={"writer": number, "index": index})
        except BaseException as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    written = AuditEvent.objects.filter(action="test.concurrent")
    assert written.count() == WRITERS * EVENTS_EACH == 1600
    seqs = list(AuditEvent.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, start + 1601))
    report = chain_verify()
    assert report.ok, report.summary()
    assert report.count == start + 1600
    # Each writer's own events are all there, in its own order.
    by_writer: dict[int, list[int]] = {}
    for data in written.order_by("seq").values_list("data", flat=True):
        values = json.loads(data)
        by_writer.setdefault(values["writer"], []).append(values["index"])
    assert by_writer == {number: list(range(EVENTS_EACH)) for number in range(WRITERS)}
