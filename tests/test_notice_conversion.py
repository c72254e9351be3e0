"""Every kind and language of notice opens in LibreOffice: converted to PDF by soffice headless."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from incidents.models import Incident
from incidents.services import notices as service
from tests.moments import T0
from tests.test_notices import HOSTILE, breach, dpo2, drafted  # noqa: F401 - fixtures

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.usefixtures("frozen_at_t0"),
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: .ci/run installs it"),
]


def test_every_kind_and_language_converts_to_pdf(breach: Incident, lead: User, tmp_path: Path) -> None:  # noqa: F811
    from tests.factories import OrganisationFactory, register_made

    customer = OrganisationFactory(name="Asiakas Oy")
    register = register_made(name="Jäsenrekisteri", controller=customer)
    breach.affected.create(register=register)
    written = []
    for audience, extra in (
        ("authority", {}),
        ("data_subjects", {}),
        ("controller", {"customer": "Asiakas Oy"}),
    ):
        for language in ("fi", "sv", "en"):
            notice = drafted(breach, lead, audience, language, **extra)
            if audience == "authority" and language == "fi":
                # Hostile text too: the document must still open.
                service.notice_edit(
                    notice_id=notice.pk, actor=lead, sections={"description": HOSTILE}, now=T0
                )
            data = service.notice_generate(notice_id=notice.pk, actor=lead, now=T0).data
            path = tmp_path / f"{audience}-{language}.docx"
            path.write_bytes(data)
            written.append(path)
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *map(str, written),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for path in written:
        pdf = tmp_path / "pdf" / f"{path.stem}.pdf"
        assert pdf.exists(), f"{path.name}: {result.stdout} {result.stderr}"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert pdf.stat().st_size > 1000


def test_merged_letters_and_the_combined_document_convert_to_pdf(
    lead: User, dpo: User, tmp_path: Path
) -> None:
    import io

    from django.test import TestCase

    from incidents.services import merges
    from tests.merge_support import approved, person, recipients_csv, zip_letters
    from tests.merge_support import breach as shop_breach

    incident = shop_breach(lead, dpo)
    notice = approved(incident, lead, dpo, "fi")
    rows = [
        person(1),
        {**person(2), "name": 'Emoji 🎉 \u05d3\u05e0\u05d4 =HYPERLINK("x","y") ' + "N" * 10_000},
        {**person(3), "data items": "salasana; maksukortin numero"},
    ]
    written = []
    for output in ("zip", "combined"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            merge = merges.merge_create(
                notice_id=notice.pk,
                actor=lead,
                file=io.BytesIO(recipients_csv(rows)),
                filename="r.csv",
                output=output,
                now=T0,
            )
        merge.refresh_from_db()
        with merge.result.open("rb") as handle:
            data = handle.read()
        if output == "zip":
            for number, letter in enumerate(zip_letters(data).values()):
                path = tmp_path / f"letter-{number}.docx"
                path.write_bytes(letter)
                written.append(path)
        else:
            path = tmp_path / "combined.docx"
            path.write_bytes(data)
            written.append(path)
    profile = tmp_path / "profile"
    result = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), *map(str, written)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for path in written:
        pdf = tmp_path / "pdf" / f"{path.stem}.pdf"
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), f"{path.name}: {result.stderr}"
