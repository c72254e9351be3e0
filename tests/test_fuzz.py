"""Arbitrary text and bytes (hypothesis) into the three readers of what people hand the tool: the
statement importer, the recipients' CSV reader and the notice generator. Each either refuses with
a clear error or gives a result, and every document it writes opens as a valid .docx with the text
as written (less the characters XML cannot hold)."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.errors import DomainError
from incidents.importer import StatementRejected, statement_parse
from incidents.importer.decoding import statement_read
from incidents.models import Notice
from incidents.notices.document import xml_safe
from incidents.notices.letters import LetterTemplate
from incidents.notices.recipients import FATAL, Recipient, recipients_read
from incidents.services import notices as notice_service
from tests.importer_support import seed_text
from tests.merge_support import approved, breach

SEED_LINES = seed_text("000").split("\n")
PROBLEM_CODES = FATAL | {
    "email",
    "language",
    "duplicate",
    "too_long",
    "name",
    "address",
    "quotes",
    "template",
}
# The same examples on every run, so that CI is repeatable; FUZZ_EXAMPLES=2000 (say) explores
# afresh with as many.
EXPLORE = int(os.environ.get("FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXPLORE or 60,
    derandomize=not EXPLORE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# A notice is rendered and stored per example: fewer of them keep the default run lean.
FUZZ_STORED = settings(FUZZ, max_examples=EXPLORE or 20)

# Text as statements and spreadsheets really mix it: seed lines, separators, quotes, headings,
# right-to-left and XML-illegal characters, emoji.
_pieces = st.one_of(
    st.sampled_from(SEED_LINES),
    st.sampled_from(["\n", "\r\n", ";", ",", '"', "#", "**", ":", "\t", "\x00", "\x0b", "\u202e", "😀", "ä"]),
    st.text(max_size=40),
)
mixed_text = st.lists(_pieces, max_size=60).map("".join)


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)


@FUZZ
@given(content=st.one_of(st.binary(max_size=4000), mixed_text.map(lambda text: text.encode("utf-8"))))
def test_the_importer_refuses_clearly_or_parses_any_bytes(content: bytes) -> None:
    try:
        decoded = statement_read(source="seloste.txt", content=content)
        statement = statement_parse(source="seloste.txt", text=decoded.text)
    except StatementRejected as rejected:
        assert str(rejected).startswith("seloste.txt: ")
        return
    for register in statement.registers:
        register.as_json()  # the --json contract holds for whatever was read


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=4000), mixed_text.map(lambda text: ("name;email;language\r\n" + text).encode())
    )
)
def test_the_recipients_reader_lists_problems_or_recipients_for_any_bytes(content: bytes) -> None:
    report = recipients_read(content)
    for problem in report.problems:
        assert problem.code in PROBLEM_CODES
        assert problem.row >= 0 and problem.message
    if report.fatal:
        assert report.recipients == ()
    for recipient in report.recipients:
        assert recipient.name and recipient.language in ("fi", "sv", "en")


@pytest.fixture
def template(lead: User, dpo: User) -> LetterTemplate:
    """An approved Finnish data-subject notice as letters take it; made once for all examples."""
    notice = approved(breach(lead, dpo), lead, dpo, "fi")
    stored = notice.files.get(sha256=notice.approved_sha256)
    with stored.file.open("rb") as handle:
        return LetterTemplate(handle.read(), language="fi", sha256=notice.approved_sha256)


@pytest.fixture
def draft(lead: User, dpo: User) -> Notice:
    """A draft notice to the authority, whose sections each example rewrites."""
    return notice_service.notice_create(
        incident_id=breach(lead, dpo).pk,
        actor=lead,
        audience="authority",
        language="fi",
        phase="complete",
        now=timezone.now(),
    )


@FUZZ
@given(
    name=st.text(min_size=1, max_size=300),
    street=st.text(max_size=100),
    items=st.lists(st.text(max_size=30), max_size=4),
)
def test_a_letter_to_anyone_is_a_valid_document_with_their_name_as_written(
    template: LetterTemplate, name: str, street: str, items: list[str]
) -> None:
    recipient = Recipient(
        row=2,
        name=name,
        address=(street,) if street else (),
        postcode="00100",
        city="Helsinki",
        country="",
        email="",
        language="fi",
        data_items=tuple(dict.fromkeys(item for item in items if item)),
    )
    text = _docx_text(template.letter(recipient).data)
    # A line break inside a cell is a line break in the letter, as in the spreadsheet.
    for line in xml_safe(name).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        assert line in text


@FUZZ_STORED
@given(description=mixed_text, consequences=st.text(max_size=500))
def test_a_notice_of_any_text_is_a_valid_document_holding_it(
    lead: User, draft: Notice, description: str, consequences: str
) -> None:
    try:
        notice_service.notice_edit(
            notice_id=draft.pk,
            actor=lead,
            sections={"description": description, "consequences": consequences},
            now=timezone.now(),
        )
    except DomainError as refused:
        assert refused.message
        return
    document = notice_service.notice_generate(notice_id=draft.pk, actor=lead, now=timezone.now())
    text = _docx_text(document.data)
    for written in (description, consequences):
        for line in xml_safe(written).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            assert line.strip() in text
