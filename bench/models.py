"""The model whose changes the audit benchmark records: shaped like a breach record, with no
state machine or other logic, so that only the cost of recording the change is compared."""

from __future__ import annotations

from typing import ClassVar

from django.db import models


class Breach(models.Model):
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, default="open")
    affected_people = models.PositiveIntegerField(default=0)
    aware_at = models.DateTimeField()

    # Spelled out: mypy reads the project's settings, in which this app is not installed.
    objects: ClassVar[models.Manager[Breach]] = models.Manager()

    def __str__(self) -> str:
        return self.title
