"""A mail merge from start to sent: the recipients' file checked first and refused with every
problem, the letters written in chunks (in-process here; tests/test_merge_workers.py runs real
workers), stored with their hashes, downloaded through the trail, and recorded as sent, which
meets the Art. 34 obligation."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client, TestCase, override_settings

from incidents.errors import DomainError
from incidents.models import Incident, Merge, MergeChunk, Notice, ObligationStatus
from incidents.roles import RoleNeeded
from incidents.services import merges as service
from tests.builders import clock, events
from tests.merge_support import approved, breach, letter_text, many, person, recipients_csv, zip_letters
from tests.moments import HOUR, T0

pytestmark = pytest.mark.usefixtures("frozen_at_t0")


@pytest.fixture
def incident(lead: User, dpo: User) -> Incident:
    return breach(lead, dpo)


@pytest.fixture
def finnish(incident: Incident, lead: User, dpo: User) -> Notice:
    return approved(incident, lead, dpo, "fi")


def merged(notice: Notice, actor: User, data: bytes, **more: Any) -> Merge:
    """The merge started, its chunks and the putting together run as the transaction commits
    (the test settings run tasks in-process)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        merge = service.merge_create(
            notice_id=notice.pk,
            actor=actor,
            file=io.BytesIO(data),
            filename=more.pop("filename", "vastaanottajat.csv"),
            output=more.pop("output", "zip"),
            now=T0 + HOUR,
            **more,
        )
    merge.refresh_from_db()
    return merge


def result_of(merge: Merge) -> bytes:
    with merge.result.open("rb") as handle:
        return handle.read()


@override_settings(MERGE_CHUNK_LETTERS=7)
def test_every_recipient_gets_one_letter_in_row_order_whatever_the_chunks(
    finnish: Notice, lead: User
) -> None:
    merge = merged(finnish, lead, many(30))
    assert (merge.state, merge.letters_done, merge.total) == ("done", 30, 30)
    assert MergeChunk.objects.filter(merge=merge).count() == 5
    letters = zip_letters(result_of(merge))
    assert list(letters) == sorted(letters)
    assert [name.split("-", 1)[0] for name in letters] == [f"{row:06d}" for row in range(2, 32)]
    assert letter_text(letters["000005-Åsa_Meikäläinen_3.docx"]).startswith(
        "Åsa Meikäläinen 3\nEsimerkkikatu 4 A 4"
    )
    assert merge.result_sha256 == hashlib.sha256(result_of(merge)).hexdigest()
    # The chunks' files are gone once the result is stored.
    assert not [
        chunk for chunk in MergeChunk.objects.filter(merge=merge) if merge.result.storage.exists(chunk.file)
    ]


def test_the_result_records_the_files_it_was_made_from_and_is_in_the_trail(
    finnish: Notice, lead: User
) -> None:
    data = many(3)
    merge = merged(finnish, lead, data)
    assert merge.csv_sha256 == hashlib.sha256(data).hexdigest()
    with merge.csv_file.open("rb") as kept:
        assert kept.read() == data
    assert merge.templates == {"fi": {"notice": finnish.pk, "sha256": finnish.approved_sha256}}
    created = json.loads(events("merge.created").get().data)
    assert created["csv_sha256"] == merge.csv_sha256 and created["letters"] == 3
    generated = json.loads(events("merge.generated").get().data)
    assert generated["sha256"] == merge.result_sha256
    assert generated["templates"]["fi"]["sha256"] == finnish.approved_sha256


def test_the_same_file_merged_twice_gives_the_same_bytes(finnish: Notice, lead: User) -> None:
    data = many(12, ("fi",))
    first, second = merged(finnish, lead, data), merged(finnish, lead, data)
    assert first.result_sha256 == second.result_sha256


def test_recipients_get_the_approved_notice_of_their_own_language(
    incident: Incident, finnish: Notice, lead: User, dpo: User
) -> None:
    swedish = approved(incident, lead, dpo, "sv")
    merge = merged(finnish, lead, many(4, ("fi", "sv")))
    assert set(merge.templates) == {"fi", "sv"}
    assert merge.templates["sv"]["sha256"] == swedish.approved_sha256
    letters = zip_letters(result_of(merge))
    texts = [letter_text(letters[name]) for name in sorted(letters)]
    assert ["[fi]" in text for text in texts] == [True, False, True, False]
    assert ["[sv]" in text for text in texts] == [False, True, False, True]


def test_a_language_without_an_approved_notice_is_a_problem_of_those_rows(
    finnish: Notice, lead: User
) -> None:
    with pytest.raises(service.MergeRefused) as refused:
        merged(finnish, lead, many(4, ("fi", "en")))
    problems = [(p.row, p.column, p.code) for p in refused.value.problems]
    assert problems == [(3, "language", "template"), (5, "language", "template")]
    assert "no approved notice to data subjects in English" in refused.value.problems[0].message
    assert not Merge.objects.exists()
    merge = merged(finnish, lead, many(4, ("fi", "en")), skip_problem_rows=True)
    assert merge.total == 2 and [p["row"] for p in merge.problems] == [3, 5]


def test_a_file_with_problems_writes_nothing_until_its_rows_are_skipped(finnish: Notice, lead: User) -> None:
    rows = [
        person(1),
        {**person(2), "email": "matti(at)example.fi"},
        {**person(3), "language": "de"},
        person(4),
    ]
    data = recipients_csv(rows)
    with pytest.raises(service.MergeRefused) as refused:
        merged(finnish, lead, data)
    assert {(p.row, p.column) for p in refused.value.problems} == {(3, "email"), (4, "language")}
    assert "2 rows have problems" in refused.value.message
    assert not Merge.objects.exists() and not events("merge.created").exists()
    merge = merged(finnish, lead, data, skip_problem_rows=True)
    assert merge.total == 2
    assert sorted(zip_letters(result_of(merge))) == [
        "000002-Maija_Meikäläinen_1.docx",
        "000005-Pekka_Meikäläinen_4.docx",
    ]


def test_a_column_of_identity_codes_is_refused_even_when_rows_would_be_skipped(
    finnish: Notice, lead: User
) -> None:
    header = ["name", "address", "postcode", "city", "language", "henkilötunnus"]
    data = recipients_csv([{**person(1), "henkilötunnus": "131052-308T"}], header=header)
    with pytest.raises(service.MergeRefused) as refused:
        merged(finnish, lead, data, skip_problem_rows=True)
    assert [p.code for p in refused.value.problems] == ["identity_code"]
    assert "131052-308T" not in refused.value.message + refused.value.problems[0].message
    assert not Merge.objects.exists()


def test_only_an_approved_data_subject_notice_is_merged(incident: Incident, lead: User) -> None:
    from incidents.services import notices as notice_service

    draft = notice_service.notice_create(
        incident_id=incident.pk, actor=lead, audience="data_subjects", language="fi", phase="complete", now=T0
    )
    with pytest.raises(DomainError, match="once the DPO has approved"):
        merged(draft, lead, many(2))


def test_an_auditor_neither_starts_a_merge_nor_downloads_the_letters(
    finnish: Notice, lead: User, auditor: User
) -> None:
    with pytest.raises(RoleNeeded):
        merged(finnish, auditor, many(2))
    merge = merged(finnish, lead, many(2))
    with pytest.raises(RoleNeeded):
        service.merge_result_open(merge_id=merge.pk, actor=auditor, now=T0 + 2 * HOUR)
    assert not events("merge.downloaded").exists()


def test_recording_the_letters_sent_sends_their_notices_and_meets_article_34(
    incident: Incident, finnish: Notice, lead: User, dpo: User
) -> None:
    swedish = approved(incident, lead, dpo, "sv")
    merge = merged(finnish, lead, many(4, ("fi", "sv")))
    with pytest.raises(RoleNeeded):
        service.merge_mark_sent(
            merge_id=merge.pk, actor=lead, sent_at=T0 + 2 * HOUR, channel="Posti", now=T0 + 3 * HOUR
        )
    service.merge_mark_sent(
        merge_id=merge.pk, actor=dpo, sent_at=T0 + 2 * HOUR, channel="Posti", now=T0 + 3 * HOUR
    )
    for notice in (finnish, swedish):
        notice.refresh_from_db()
        assert notice.state == "sent" and notice.channel == "Posti"
        assert notice.recipient == f"4 data subjects, letters of merge {merge.pk}"
    obligation = clock(incident, "gdpr-34")
    assert obligation.status == ObligationStatus.MET and obligation.met_at == T0 + 2 * HOUR
    assert json.loads(events("merge.sent").get().data)["letters"] == 4
    with pytest.raises(DomainError, match="already recorded"):
        service.merge_mark_sent(
            merge_id=merge.pk, actor=dpo, sent_at=T0 + 2 * HOUR, channel="Posti", now=T0 + 3 * HOUR
        )


def test_a_combined_document_holds_every_letter_on_its_own_pages(finnish: Notice, lead: User) -> None:
    with override_settings(MERGE_CHUNK_LETTERS=2):
        merge = merged(finnish, lead, many(5), output="combined")
    from docx import Document

    document = Document(io.BytesIO(result_of(merge)))
    assert len(document.sections) == 5
    starts = [
        p.text
        for p in document.paragraphs
        if p.text.startswith(("Matti ", "Maija ", "Anders ", "Åsa ", "Pekka "))
    ]
    assert starts == [
        "Matti Meikäläinen 0",
        "Maija Meikäläinen 1",
        "Anders Meikäläinen 2",
        "Åsa Meikäläinen 3",
        "Pekka Meikäläinen 4",
    ]


def test_a_chunk_done_twice_counts_its_letters_once(finnish: Notice, lead: User) -> None:
    with override_settings(MERGE_CHUNK_LETTERS=2), pytest.MonkeyPatch.context() as patch:
        queued: list[tuple[str, dict[str, Any]]] = []
        patch.setattr(service, "_queue", lambda task, **kwargs: queued.append((task, kwargs)))
        merge = merged(finnish, lead, many(4))
    chunk = merge.chunks.get(number=0)
    assert service.merge_chunk_write(chunk_id=chunk.pk, worker="a", now=T0 + HOUR) is True
    assert service.merge_chunk_write(chunk_id=chunk.pk, worker="b", now=T0 + HOUR) is False
    merge.refresh_from_db()
    assert (merge.state, merge.letters_done) == ("running", 2)


def test_a_chunk_whose_worker_died_is_given_to_another_once_its_lease_runs_out(
    finnish: Notice, lead: User
) -> None:
    queued: list[tuple[str, dict[str, Any]]] = []
    with override_settings(MERGE_CHUNK_LETTERS=2), pytest.MonkeyPatch.context() as patch:
        patch.setattr(service, "_queue", lambda task, **kwargs: queued.append((task, kwargs)))
        merge = merged(finnish, lead, many(4))
        first, second = merge.chunks.order_by("number")
        start = T0 + HOUR
        # A worker claimed the second chunk and was killed: it stays running under its lease.
        assert service._claim(second.pk, "killed@host", start) is not None
        assert service.merge_chunk_write(chunk_id=first.pk, worker="alive@host", now=start) is True
        queued.clear()
        assert service.merges_resume(now=start + service.LEASE / 2) == service.Resumed(0, 0)
        assert service.merges_resume(now=start + service.LEASE + HOUR / 60) == service.Resumed(1, 0)
        assert queued == [("incidents.tasks.merge_chunk", {"chunk_id": second.pk})]
        later = start + service.LEASE + HOUR / 30
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert service.merge_chunk_write(chunk_id=second.pk, worker="alive@host", now=later) is True
        assert queued[-1] == ("incidents.tasks.merge_assemble", {"merge_id": merge.pk})
        assert service.merge_assemble(merge_id=merge.pk, now=later) is True
    merge.refresh_from_db()
    assert (merge.state, merge.letters_done) == ("done", 4)
    assert len(zip_letters(result_of(merge))) == 4
    assert merge.chunks.get(number=1).attempts == 2


# --- The API, as a ticketing tool or a script calls it ----------------------------------------


def _upload(data: bytes, name: str = "recipients.csv") -> ContentFile:
    upload = ContentFile(data)
    upload.name = name
    return upload


def test_the_api_answers_the_validation_report_and_writes_nothing(finnish: Notice, lead: User) -> None:
    from tests.api_support import api_as

    data = recipients_csv([person(1), {**person(2), "language": "ru"}])
    response = api_as(lead).post(
        f"/api/notices/{finnish.pk}/merges/", {"file": _upload(data)}, format="multipart"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "recipients_refused"
    assert body["error"]["fields"]["file"]
    report = body["report"]
    assert (report["rows"], report["recipients"], report["fatal"]) == (2, 1, False)
    assert report["delimiter"] == ";" and report["encoding"] == "utf-8-sig"
    assert [(p["row"], p["column"], p["code"]) for p in report["problems"]] == [(3, "language", "language")]
    assert report["csv_sha256"] == hashlib.sha256(data).hexdigest()
    assert not Merge.objects.exists()


def test_the_api_starts_the_job_follows_it_and_hands_over_the_letters(
    finnish: Notice, lead: User, dpo: User, auditor: User
) -> None:
    from tests.api_support import api_as

    client = api_as(lead)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/api/notices/{finnish.pk}/merges/",
            {"file": _upload(many(3)), "output": "zip", "skip_problem_rows": "true"},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    job = response.json()
    assert response["Location"] == f"/api/merges/{job['id']}/"
    read = api_as(auditor).get(f"/api/merges/{job['id']}/").json()
    assert (read["state"], read["letters_done"], read["total"], read["problems"]) == ("done", 3, 3, [])
    assert read["result"] == f"/api/merges/{job['id']}/result/"
    assert api_as(auditor).get(read["result"]).status_code == 403
    download = client.get(read["result"])
    assert download.status_code == 200
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert download["X-Content-SHA256"] == read["result_sha256"] == hashlib.sha256(data).hexdigest()
    assert len(zip_letters(data)) == 3
    assert json.loads(events("merge.downloaded").get().data)["sha256"] == read["result_sha256"]
    sent = api_as(dpo).post(
        f"/api/merges/{job['id']}/sent/",
        {"sent_at": T0.isoformat(), "channel": "Posti"},
        format="json",
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["channel"] == "Posti"


def test_a_merge_that_is_not_done_has_no_result_yet(finnish: Notice, lead: User) -> None:
    from tests.api_support import api_as

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service, "_queue", lambda task, **kwargs: None)
        merge = merged(finnish, lead, many(2))
    response = api_as(lead).get(f"/api/merges/{merge.pk}/result/")
    assert response.status_code == 400
    assert "queued" in response.json()["error"]["message"]


# --- The pages ----------------------------------------------------------------------------------


def test_the_notice_page_shows_every_problem_and_then_the_progress_of_the_merge(
    client: Client, finnish: Notice, lead: User
) -> None:
    client.force_login(lead)
    page = client.get(f"/notices/{finnish.pk}/")
    assert "Letters to the affected people" in page.content.decode()
    bad = recipients_csv([person(1), {**person(2), "email": "not-an-address"}])
    refused = client.post(
        f"/notices/{finnish.pk}/merges/new/", {"merge-file": _upload(bad), "merge-output": "zip"}
    )
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "Row 3, e-mail" in text and "Nothing was written." in text
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(
            f"/notices/{finnish.pk}/merges/new/",
            {"merge-file": _upload(bad), "merge-output": "zip", "merge-skip_problem_rows": "on"},
        )
    merge = Merge.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/merges/{merge.pk}/"
    detail = client.get(f"/merges/{merge.pk}/").content.decode()
    assert "1 of 1 letters written" in detail and merge.result_sha256 in detail
    assert "Row 3, e-mail" in detail  # the row skipped, kept with the merge
    download = client.get(f"/merges/{merge.pk}/letters/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
