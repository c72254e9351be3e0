"""Breachclock's project package: settings, URLs, the Celery app, WSGI and ASGI entry points."""

from __future__ import annotations

from project.celery import app as celery_app

__all__ = ["celery_app"]
