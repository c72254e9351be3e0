"""Settings for the benchmarks only: the project's, plus django-auditlog (the yardstick) and the
benchmark app whose model both audit trails record changes of. Never used to serve anything."""

from __future__ import annotations

from project.settings import *  # noqa: F403
from project.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "auditlog", "bench"]
