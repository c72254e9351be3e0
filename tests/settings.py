"""Test settings: the project's, plus a test-only app whose `flush` can empty the audit trail."""

from __future__ import annotations

from project.settings import *  # noqa: F403
from project.settings import INSTALLED_APPS

# First, so that its `flush` command wins over Django's.
INSTALLED_APPS = ["tests.support", *INSTALLED_APPS]

# Tasks queued by the code under test run in the test's own process, so their effect (an e-mail
# in the outbox) can be asserted; tests/test_celery_worker.py turns this off to use a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
