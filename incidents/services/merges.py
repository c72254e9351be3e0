"""The acts of a mail merge: check the recipients' file and start the merge, write its chunks in
the workers, put the letters together, let them be downloaded, and record them as sent, which
meets the Art. 34 obligation.

Exactly once, as the reminders do it (clocks.reminders): a chunk is a row that a worker claims
with a lease, and its letters count only when the claim that finishes first marks it done under
the row lock. A worker killed in the middle leaves its chunk running until the lease runs out;
``merges_resume`` then gives the chunk to another worker, which writes the same bytes again.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from incidents.audit import audit_record
from incidents.choices import (
    MERGE_TEMPLATE_STATES,
    ChunkState,
    MergeOutput,
    MergeState,
    NoticeAudience,
    NoticeLanguage,
    NoticeState,
)
from incidents.errors import DomainError, NotFound
from incidents.models import Merge, MergeChunk, Notice
from incidents.notices.letters import (
    Body,
    CombinedDocument,
    LetterTemplate,
    TemplateUnreadable,
    letter_filename,
)
from incidents.notices.recipients import READ_MAX_BYTES, Problem, Recipient, RecipientsFile, recipients_read
from incidents.notices.zips import ZipWriter, raw_entries
from incidents.roles import Permission, require
from incidents.services.notices import notice_mark_sent
from project.celery import app as celery_app

logger = logging.getLogger(__name__)

# Past the hard time limit a chunk's task is certainly dead: Celery has killed it.
LEASE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
LARGE_DOCUMENT = 1024**3  # over this a combined document needs ZIP64
BLOCK = 1024 * 1024


class MergeRefused(DomainError):
    """The recipients' file has problems: nothing is written until it is fixed, or its rows with
    problems are skipped. Carries the whole report."""

    def __init__(
        self, message: str, report: RecipientsFile, problems: tuple[Problem, ...], sha256: str
    ) -> None:
        super().__init__(message, field="file")
        self.report = report
        self.problems = problems
        self.report_sha256 = sha256


def report_dict(report: RecipientsFile, problems: tuple[Problem, ...], sha256: str) -> dict[str, Any]:
    """The validation report as the API and the page show it."""
    return {
        "csv_sha256": sha256,
        "encoding": report.encoding,
        "delimiter": report.delimiter,
        "columns": list(report.columns),
        "ignored_columns": list(report.ignored_columns),
        "rows": report.rows,
        "recipients": len(report.recipients) - len({p.row for p in problems if p.code == "template"}),
        "fatal": any(problem.fatal for problem in problems),
        "problems": [problem.as_dict() for problem in problems],
    }


def _templates(notice: Notice) -> dict[str, Notice]:
    """Language → the approved data-subject notice a letter in that language is made from: the
    merge's own notice for its language, and the incident's latest approved one for the others."""
    found = {notice.language: notice}
    others = (
        Notice.objects.filter(
            incident_id=notice.incident_id,
            audience=NoticeAudience.DATA_SUBJECTS,
            state__in=MERGE_TEMPLATE_STATES,
        )
        .exclude(language=notice.language)
        .order_by("approved_at", "pk")
    )
    for other in others:
        found[other.language] = other
    return found


def _template_problems(report: RecipientsFile, templates: dict[str, Notice]) -> list[Problem]:
    problems = []
    for recipient in report.recipients:
        if recipient.language not in templates:
            language = NoticeLanguage(recipient.language).label
            problems.append(
                Problem(
                    row=recipient.row,
                    column="language",
                    code="template",
                    message=_(
                        "Row %(row)d, language: there is no approved notice to data subjects in "
                        "%(language)s. Draft one and have it approved, or skip the row."
                    )
                    % {"row": recipient.row, "language": language},
                    fatal=False,
                )
            )
    return problems


def merge_create(
    *,
    notice_id: int,
    actor: AbstractBaseUser,
    file: IO[bytes],
    filename: str,
    output: str,
    now: datetime,
    skip_problem_rows: bool = False,
) -> Merge:
    """Check the recipients' file against the approved notice and, when it passes (or its rows
    with problems are skipped), start the merge. A refused file is not kept."""
    require(actor, Permission.DRAFT_NOTICE)
    if output not in MergeOutput.values:
        raise DomainError(
            _("Output: choose one of %(allowed)s.") % {"allowed": ", ".join(MergeOutput.values)},
            field="output",
        )
    notice = Notice.objects.select_related("incident").filter(pk=notice_id).first()
    if notice is None:
        raise NotFound(_("No such notice."), field="notice")
    _mergeable(notice)
    data = file.read(READ_MAX_BYTES + 1)
    report = recipients_read(data)
    digest = hashlib.sha256(data).hexdigest()
    templates = _templates(notice)
    problems = tuple(sorted((*report.problems, *_template_problems(report, templates)), key=_order))
    if problems and (any(p.fatal for p in problems) or not skip_problem_rows):
        raise MergeRefused(_refusal(problems), report, problems, digest)
    skipped = {problem.row for problem in problems}
    recipients = [recipient for recipient in report.recipients if recipient.row not in skipped]
    if not recipients:
        raise DomainError(_("File: it names no one to write to."), field="file")
    size = settings.MERGE_CHUNK_LETTERS
    with transaction.atomic():
        notice = Notice.objects.select_for_update(of=("self",)).select_related("incident").get(pk=notice.pk)
        _mergeable(notice)
        used = sorted({recipient.language for recipient in recipients})
        merge = Merge(
            notice=notice,
            output=output,
            csv_name=filename[:255],
            csv_sha256=digest,
            rows=report.rows,
            problems=[problem.as_dict() for problem in problems],
            total=len(recipients),
            templates={
                language: {"notice": templates[language].pk, "sha256": templates[language].approved_sha256}
                for language in used
            },
            created_by=actor,  # type: ignore[misc]
            created_at=now,
        )
        merge.csv_file.save(f"{digest}.csv", ContentFile(data), save=False)
        merge.save()
        # One insert a chunk: bulk_create's UNNEST on PostgreSQL sends the recipients' JSON as
        # array text, escaping every quote in it, which costs more than the twenty round trips.
        chunks = [
            MergeChunk.objects.create(
                merge=merge,
                number=number,
                recipients=[recipient.as_dict() for recipient in recipients[start : start + size]],
                letters=len(recipients[start : start + size]),
                queued_at=now,
            )
            for number, start in enumerate(range(0, len(recipients), size))
        ]
        audit_record(
            action="merge.created",
            actor=actor,
            obj=merge,
            incident_id=notice.incident_id,
            data={
                "merge": merge.pk,
                "notice": notice.pk,
                "output": output,
                "csv_sha256": digest,
                "rows": report.rows,
                "letters": merge.total,
                "skipped_rows": sorted(skipped),
                "templates": merge.templates,
            },
            now=now,
        )
        ids = [chunk.pk for chunk in chunks]
        transaction.on_commit(lambda: _queue_chunks(ids))
    return merge


def _order(problem: Problem) -> tuple[int, str]:
    return problem.row, problem.column


def _refusal(problems: tuple[Problem, ...]) -> str:
    if any(problem.fatal for problem in problems):
        return _("File: fix the problems listed and upload it again; nothing was written.")
    rows = len({problem.row for problem in problems})
    return _(
        "File: %(rows)d rows have problems; nothing was written. Fix them, or choose to skip those rows."
    ) % {"rows": rows}


def _mergeable(notice: Notice) -> None:
    if notice.audience != NoticeAudience.DATA_SUBJECTS:
        raise DomainError(_("Notice: letters are merged from a notice to data subjects."), field="notice")
    if notice.state not in MERGE_TEMPLATE_STATES:
        raise DomainError(
            _("Notice: letters are merged once the DPO has approved the notice."), field="notice"
        )


def _queue_chunks(ids: list[int]) -> None:
    for pk in ids:
        _queue("incidents.tasks.merge_chunk", chunk_id=pk)


def _queue(task: str, **kwargs: Any) -> None:
    """By name: the tasks call these services, so this module cannot import them. A web process
    has its tasks discovered here first, so that a task run in-process (tests) finds its body."""
    if task not in celery_app.tasks:
        celery_app.loader.import_default_modules()
    try:
        celery_app.signature(task, kwargs=kwargs).delay()
    except OperationalError as error:
        # The broker is away: the merge is recorded and shows as queued; merges_resume (beat)
        # queues its chunks again once they have waited a lease, so the person loses nothing.
        logger.warning("The broker did not take %s %s (%s); merges_resume queues it.", task, kwargs, error)


# --- In the workers -------------------------------------------------------------------------


_TEMPLATE_CACHE: dict[str, LetterTemplate] = {}


def _template(language: str, notice_id: int, sha256: str) -> LetterTemplate:
    """The approved file, read once per worker process: every chunk of a merge uses it."""
    if sha256 not in _TEMPLATE_CACHE:
        notice = Notice.objects.get(pk=notice_id)
        stored = notice.files.filter(sha256=sha256).first()
        if stored is None:
            raise TemplateUnreadable(f"the approved file {sha256} is not stored")
        with stored.file.open("rb") as handle:
            data = handle.read()
        if len(_TEMPLATE_CACHE) > 16:
            _TEMPLATE_CACHE.clear()
        _TEMPLATE_CACHE[sha256] = LetterTemplate(data, language=language, sha256=sha256)
    return _TEMPLATE_CACHE[sha256]


def _templates_of(merge: Merge) -> dict[str, LetterTemplate]:
    return {
        language: _template(language, entry["notice"], entry["sha256"])
        for language, entry in merge.templates.items()
    }


def _claim(chunk_id: int, worker: str, now: datetime) -> MergeChunk | None:
    """The chunk, claimed for this worker until the lease runs out; None if another attempt has
    finished it. Lock order: the merge, then the chunk, as in merge_chunk_done."""
    with transaction.atomic():
        chunk = MergeChunk.objects.defer("recipients").filter(pk=chunk_id).first()
        if chunk is None:
            return None
        merge = Merge.objects.select_for_update().get(pk=chunk.merge_id)
        chunk = MergeChunk.objects.select_for_update().get(pk=chunk_id)
        if chunk.state == ChunkState.DONE or merge.state in (MergeState.DONE, MergeState.FAILED):
            return None
        if chunk.state == ChunkState.RUNNING and chunk.lease_until and chunk.lease_until > now:
            return None  # another worker holds it; a second message for the chunk does nothing
        chunk.state = ChunkState.RUNNING
        chunk.attempts += 1
        chunk.claimed_by = worker[:200]
        chunk.lease_until = now + LEASE
        chunk.save(update_fields=["state", "attempts", "claimed_by", "lease_until"])
        if merge.state == MergeState.QUEUED:
            merge.state = MergeState.RUNNING
            merge.save(update_fields=["state"])
        chunk.merge = merge
        return chunk


def merge_chunk_write(*, chunk_id: int, worker: str, now: datetime) -> bool:
    """Write one chunk's letters to storage and count them; False if there was nothing to do."""
    chunk = _claim(chunk_id, worker, now)
    if chunk is None:
        return False
    merge = chunk.merge
    try:
        templates = _templates_of(merge)
        recipients = [Recipient.from_dict(entry) for entry in chunk.recipients]
        with _Spool() as spool:
            if merge.output == MergeOutput.ZIP:
                _chunk_zip(spool, templates, recipients)
            else:
                _chunk_fragments(spool, merge, templates, recipients, first=chunk.number == 0)
            name = spool.store(f"merges/{merge.pk}/chunk-{chunk.number:05d}-{chunk.attempts}")
    except TemplateUnreadable as error:
        merge_fail(merge_id=merge.pk, error=str(error), now=now)
        return False
    return merge_chunk_done(
        chunk_id=chunk.pk, attempt=chunk.attempts, name=name, sha256=spool.sha256, now=now
    )


class _Spool(File):
    """A file written once, front to back, whose SHA-256 and size are counted as it is written;
    the filesystem storage moves it into place, as it does an upload, rather than copying it."""

    def __init__(self) -> None:
        handle = tempfile.NamedTemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR, delete=False, buffering=BLOCK)  # noqa: SIM115
        super().__init__(handle, name=handle.name)
        self.handle: IO[bytes] = handle
        self._digest = hashlib.sha256()
        self.written = 0

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._digest.update(data)
        self.written += len(data)
        return self.handle.write(data)

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def temporary_file_path(self) -> str:
        return str(self.handle.name)

    def store(self, name: str) -> str:
        """Saved through the storage API under ``name`` (or the free name it picks)."""
        self.handle.flush()
        return default_storage.save(name, self)

    def __exit__(self, *args: object) -> None:
        self.handle.close()
        Path(self.handle.name).unlink(missing_ok=True)


def _chunk_zip(spool: _Spool, templates: dict[str, LetterTemplate], recipients: list[Recipient]) -> None:
    """The chunk's letters as their bodies only, each the entry ``{language}/{letter's file name}``
    holding its word/document.xml: the rest of every letter is its template's, which the putting
    together adds, so a chunk is a tenth of its letters' size."""
    package = ZipWriter(spool)
    for recipient in recipients:
        body = templates[recipient.language].letter_body(recipient)
        package.add_deflated(
            f"{recipient.language}/{letter_filename(recipient)}", body.crc, body.size, body.packed
        )
    package.close()


def _chunk_fragments(
    spool: IO[bytes],
    merge: Merge,
    templates: dict[str, LetterTemplate],
    recipients: list[Recipient],
    *,
    first: bool,
) -> None:
    """The chunk's letters as the body of the combined document takes them, compressed."""
    combined = CombinedDocument(templates.get(merge.notice.language) or next(iter(templates.values())))
    compressor = zlib.compressobj(1)
    for index, recipient in enumerate(recipients):
        fragment = combined.fragment(templates[recipient.language], recipient, first=first and index == 0)
        spool.write(compressor.compress(fragment.encode("utf-8")))
    spool.write(compressor.flush())


def _sha256(handle: IO[bytes]) -> str:
    handle.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(BLOCK), b""):
        digest.update(block)
    handle.seek(0)
    return digest.hexdigest()


def merge_chunk_done(*, chunk_id: int, attempt: int, name: str, sha256: str, now: datetime) -> bool:
    """Count the chunk's letters, once: a second attempt that finishes later throws its file away.
    The last chunk done queues the putting together."""
    with transaction.atomic():
        # The recipients are not read: a chunk's JSON of 500 people costs more than the rest here.
        chunk = MergeChunk.objects.defer("recipients").filter(pk=chunk_id).first()
        if chunk is None:
            default_storage.delete(name)
            return False
        merge = Merge.objects.select_for_update().get(pk=chunk.merge_id)
        chunk = MergeChunk.objects.defer("recipients").select_for_update().get(pk=chunk_id)
        if chunk.state == ChunkState.DONE or merge.state == MergeState.FAILED:
            transaction.on_commit(lambda: default_storage.delete(name))
            return False
        chunk.state = ChunkState.DONE
        chunk.file, chunk.sha256, chunk.finished_at = name, sha256, now
        chunk.save(update_fields=["state", "file", "sha256", "finished_at"])
        Merge.objects.filter(pk=merge.pk).update(letters_done=F("letters_done") + chunk.letters)
        if not merge.chunks.exclude(state=ChunkState.DONE).exists():
            merge_id = merge.pk
            transaction.on_commit(lambda: _queue("incidents.tasks.merge_assemble", merge_id=merge_id))
    return True


def merge_assemble(*, merge_id: int, now: datetime) -> bool:
    """The chunks' letters put together in row order and stored with the result's SHA-256."""
    merge = Merge.objects.select_related("notice").filter(pk=merge_id).first()
    if merge is None or merge.state != MergeState.RUNNING:
        return False
    chunks = list(merge.chunks.defer("recipients").order_by("number"))
    if any(chunk.state != ChunkState.DONE for chunk in chunks):
        return False
    suffix = "zip" if merge.output == MergeOutput.ZIP else "docx"
    with _Spool() as spool:
        templates = _templates_of(merge)
        if merge.output == MergeOutput.ZIP:
            _assemble_zip(spool, templates, chunks)
        else:
            base = templates.get(merge.notice.language) or next(iter(templates.values()))
            estimate = sum(default_storage.size(chunk.file) for chunk in chunks) * 20
            CombinedDocument(base).write(spool.handle, _fragments(chunks), large=estimate > LARGE_DOCUMENT)
        size = spool.handle.tell()
        digest = spool.sha256 if merge.output == MergeOutput.ZIP else _sha256(spool.handle)
        name = spool.store(f"merges/{merge.pk}/letters-{digest[:16]}.{suffix}")
    with transaction.atomic():
        merge = Merge.objects.select_for_update().get(pk=merge_id)
        if merge.state != MergeState.RUNNING:
            transaction.on_commit(lambda: default_storage.delete(name))
            return False
        merge.state = MergeState.DONE
        merge.result.name = name
        merge.result_sha256, merge.result_size, merge.finished_at = digest, size, now
        merge.save(update_fields=["state", "result", "result_sha256", "result_size", "finished_at"])
        audit_record(
            action="merge.generated",
            actor=None,
            obj=merge,
            incident_id=merge.notice.incident_id,
            data={
                "merge": merge.pk,
                "letters": merge.letters_done,
                "output": merge.output,
                "sha256": digest,
                "bytes": size,
                "csv_sha256": merge.csv_sha256,
                "templates": merge.templates,
            },
            now=now,
        )
        files = [chunk.file for chunk in chunks]
        transaction.on_commit(lambda: _clear_chunks(merge_id, keep=files))
    return True


def _assemble_zip(spool: _Spool, templates: dict[str, LetterTemplate], chunks: list[MergeChunk]) -> None:
    """Each body of the chunks, in their order, made the whole letter in its template's package."""
    package = ZipWriter(spool)
    for chunk in chunks:
        with default_storage.open(chunk.file, "rb") as handle:
            data = handle.read()
        for info, packed in raw_entries(data):
            language, filename = info.filename.split("/", 1)
            package.add(filename, templates[language].package(Body(info.CRC, info.file_size, packed)))
    package.close()


def _fragments(chunks: list[MergeChunk]) -> Iterator[bytes]:
    for chunk in chunks:
        decompressor = zlib.decompressobj()
        with default_storage.open(chunk.file, "rb") as handle:
            for block in iter(lambda handle=handle: handle.read(BLOCK), b""):  # type: ignore[misc]
                yield decompressor.decompress(block)
        yield decompressor.flush()


def _clear_chunks(merge_id: int, *, keep: list[str]) -> None:
    """The chunks' files once the result is stored, with any a killed worker left half-written."""
    folder = f"merges/{merge_id}"
    try:
        _dirs, names = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        names = [name.rsplit("/", 1)[-1] for name in keep]
    for name in names:
        if name.startswith("chunk-"):
            default_storage.delete(f"{folder}/{name}")


def merge_fail(*, merge_id: int, error: str, now: datetime) -> None:
    with transaction.atomic():
        merge = Merge.objects.select_for_update().select_related("notice").get(pk=merge_id)
        if merge.state in (MergeState.DONE, MergeState.FAILED):
            return
        merge.state, merge.error, merge.finished_at = MergeState.FAILED, error[:2000], now
        merge.save(update_fields=["state", "error", "finished_at"])
        audit_record(
            action="merge.failed",
            actor=None,
            obj=merge,
            incident_id=merge.notice.incident_id,
            data={"merge": merge.pk, "error": merge.error},
            now=now,
        )


@dataclass(frozen=True)
class Resumed:
    chunks: int
    assemblies: int


def merges_resume(*, now: datetime) -> Resumed:
    """Every minute (beat): a chunk whose worker died (its lease ran out) or whose task was lost
    (queued while the broker was away) is queued again; so is a merge whose chunks are all done
    but whose putting together never finished."""
    stalled = list(
        MergeChunk.objects.filter(
            merge__state__in=(MergeState.QUEUED, MergeState.RUNNING), state=ChunkState.RUNNING
        )
        .filter(lease_until__lt=now)
        .values_list("pk", flat=True)
    )
    lost = list(
        MergeChunk.objects.filter(
            merge__state__in=(MergeState.QUEUED, MergeState.RUNNING),
            state=ChunkState.QUEUED,
            queued_at__lt=now - LEASE,
        ).values_list("pk", flat=True)
    )
    for pk in stalled + lost:
        MergeChunk.objects.filter(pk=pk).exclude(state=ChunkState.DONE).update(
            state=ChunkState.QUEUED, queued_at=now, lease_until=None
        )
        _queue("incidents.tasks.merge_chunk", chunk_id=pk)
    waiting = [
        merge.pk
        for merge in Merge.objects.filter(state=MergeState.RUNNING)
        if not merge.chunks.exclude(state=ChunkState.DONE).exists()
        and not merge.chunks.filter(finished_at__gt=now - LEASE).exists()
    ]
    for pk in waiting:
        _queue("incidents.tasks.merge_assemble", merge_id=pk)
    return Resumed(len(stalled) + len(lost), len(waiting))


# --- Reading and sending --------------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    file: File
    filename: str
    sha256: str
    content_type: str


def merge_result_open(*, merge_id: int, actor: AbstractBaseUser, now: datetime) -> MergeResult:
    """The letters, for the one who sends them: their download is in the trail. A reader of the
    incident sees the merge but not the letters, which hold every recipient's address."""
    require(actor, Permission.DRAFT_NOTICE)
    with transaction.atomic():
        merge = (
            Merge.objects.select_for_update().select_related("notice__incident").filter(pk=merge_id).first()
        )
        if merge is None:
            raise NotFound(_("No such merge."), field="merge")
        if merge.state != MergeState.DONE:
            raise DomainError(
                _("Result: the merge is %(state)s; its letters are ready when it is done.")
                % {"state": MergeState(merge.state).label.lower()},
                field="state",
            )
        audit_record(
            action="merge.downloaded",
            actor=actor,
            obj=merge,
            incident_id=merge.notice.incident_id,
            data={"merge": merge.pk, "sha256": merge.result_sha256},
            now=now,
        )
    handle = merge.result.open("rb")
    reference = merge.notice.incident.reference
    if merge.output == MergeOutput.ZIP:
        return MergeResult(
            handle, f"{reference}-letters-{merge.pk}.zip", merge.result_sha256, "application/zip"
        )
    return MergeResult(
        handle,
        f"{reference}-letters-{merge.pk}.docx",
        merge.result_sha256,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def merge_mark_sent(
    *, merge_id: int, actor: AbstractBaseUser, sent_at: datetime, channel: str, now: datetime
) -> Merge:
    """The letters recorded as sent: each approved notice they were made from is sent with them,
    and the first to be sent meets the obligation to tell the data subjects (Art. 34)."""
    require(actor, Permission.APPROVE_NOTICE)
    if not channel.strip():
        raise DomainError(_("%(field)s: say it, for the record.") % {"field": _("Channel")}, field="channel")
    if sent_at > now:
        raise DomainError(_("Sent at: cannot be in the future."), field="sent_at")
    with transaction.atomic():
        merge = Merge.objects.select_for_update().select_related("notice").filter(pk=merge_id).first()
        if merge is None:
            raise NotFound(_("No such merge."), field="merge")
        if merge.state != MergeState.DONE:
            raise DomainError(_("Sent: only a merge that is done is recorded as sent."), field="state")
        if merge.sent_at is not None:
            raise DomainError(_("Sent: this merge is already recorded as sent."), field="state")
        merge.sent_at, merge.channel, merge.sent_by = sent_at, channel.strip(), actor  # type: ignore[assignment]
        merge.save(update_fields=["sent_at", "channel", "sent_by"])
        recipient = _("%(letters)d data subjects, letters of merge %(merge)d") % {
            "letters": merge.letters_done,
            "merge": merge.pk,
        }
        for entry in merge.templates.values():
            notice = Notice.objects.get(pk=entry["notice"])
            if notice.state != NoticeState.SENT:
                notice_mark_sent(
                    notice_id=notice.pk,
                    actor=actor,
                    sent_at=sent_at,
                    channel=merge.channel,
                    recipient=recipient,
                    now=now,
                )
        audit_record(
            action="merge.sent",
            actor=actor,
            obj=merge,
            incident_id=merge.notice.incident_id,
            data={
                "merge": merge.pk,
                "sent_at": sent_at,
                "channel": merge.channel,
                "letters": merge.letters_done,
                "sha256": merge.result_sha256,
            },
            now=now,
        )
    return merge
