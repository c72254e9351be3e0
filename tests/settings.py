"""Test settings: the project's, plus a test-only app whose `flush` can empty the audit trail."""

from __future__ import annotations

from project.settings import *  # noqa: F403
from project.settings import DATABASES, INSTALLED_APPS, VAR_DIR

# First, so that its `flush` command wins over Django's.
INSTALLED_APPS = ["tests.support", *INSTALLED_APPS]

# Tasks queued by the code under test run in the test's own process, so their effect (an e-mail
# in the outbox) can be asserted; tests/test_celery_worker.py turns this off to use a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# A password hash at production strength costs a third of a second, and nearly every test signs
# someone in; tests/test_demo.py checks that the demo users get the production hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# On SQLite the test database is a file rather than memory, so that a worker process started by a
# test (tests/test_reminders_worker.py) opens the same database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
