"""Test settings: the project's, plus a test-only app whose `flush` can empty the audit trail."""

from __future__ import annotations

from project.settings import *  # noqa: F403
from project.settings import INSTALLED_APPS

# First, so that its `flush` command wins over Django's.
INSTALLED_APPS = ["tests.support", *INSTALLED_APPS]
