"""A backup restored as docs/DEPLOY.md says, into a fresh database on the engine the suite runs on:
the audit chain still verifies against the checkpoint taken before, and every stored document still
matches its recorded SHA-256; a document changed after the restore is named."""

from __future__ import annotations

import io
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from incidents.audit.checkpoint import audit_checkpoint_write
from incidents.models import NoticeFile
from incidents.services import merges
from tests.merge_support import approved, breach, many
from tests.workers import database_url

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _backup_and_restore(tmp_path: Path, name: str) -> str:
    """The database dumped and restored into a fresh one, as docs/DEPLOY.md does it: its URL."""
    if connection.vendor == "postgresql":
        dump = tmp_path / "breachclock.dump"
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", database_url()], check=True)
        admin_url = database_url().rsplit("/", 1)[0] + "/postgres"
        name = f"breachclock_restored_{secrets.token_hex(4)}"
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        restored = admin_url.rsplit("/", 1)[0] + "/" + name
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)], check=True)
        return restored
    copy = tmp_path / "breachclock-restored.sqlite3"
    sqlite3.connect(name).backup(sqlite3.connect(copy))
    return f"sqlite:///{copy}"


def _drop(url: str) -> None:
    if url.startswith("postgres"):
        admin_url, name = url.rsplit("/", 1)[0] + "/postgres", url.rsplit("/", 1)[1]
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_verifies_its_trail_and_every_document(
    tmp_path: Path, lead: User, dpo: User, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # this test's documents only
    # A notice approved and its letters merged: notices' files, a recipients' file and a zip.
    notice = approved(breach(lead, dpo), lead, dpo, "fi")
    merges.merge_create(
        notice_id=notice.pk,
        actor=lead,
        file=io.BytesIO(many(30)),
        filename="a.csv",
        output="zip",
        now=timezone.now(),
    )
    checkpoints = tmp_path / "checkpoints"
    written = audit_checkpoint_write(now=timezone.now(), directory=checkpoints)

    url = _backup_and_restore(tmp_path, str(settings.DATABASES["default"]["NAME"]))
    media = tmp_path / "media-restored"
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as backup:
        backup.add(settings.MEDIA_ROOT, arcname=".")
    media.mkdir()
    with tarfile.open(archive) as backup:
        backup.extractall(media, filter="data")
    env = {"DATABASE_URL": url, "MEDIA_ROOT": str(media), "BREACHCLOCK_VAR_DIR": str(tmp_path / "var")}
    try:
        assert _manage("migrate", "--noinput", env=env).returncode == 0
        audit = _manage("verify_audit", "--checkpoint", str(written.path), env=env)
        assert audit.returncode == 0, audit.stderr
        assert audit.stdout.startswith("OK: ") and f"at #{written.head_seq}" in audit.stdout
        documents = _manage("verify_documents", env=env)
        assert documents.returncode == 0, documents.stderr
        stored = NoticeFile.objects.count() + 2  # and the merge's recipients' file and letters
        assert documents.stdout.strip() == f"OK: {stored} stored documents match their recorded SHA-256."

        # A document changed in the restored storage is named.
        changed = NoticeFile.objects.order_by("pk").first()
        assert changed is not None
        (media / changed.file.name).write_bytes(b"not the approved notice")
        refused = _manage("verify_documents", env=env)
        assert refused.returncode != 0
        assert (
            f"notice {changed.notice_id}, file {changed.pk}: {changed.file.name} does not match"
            in refused.stderr
        )
    finally:
        _drop(url)
        shutil.rmtree(media, ignore_errors=True)
