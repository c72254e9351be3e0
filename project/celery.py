"""The Celery app. Workers and beat start with ``celery -A project worker`` / ``beat``."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

app = Celery("breachclock")
# Every CELERY_* Django setting configures the app (broker, time limits, beat schedule).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
