"""The letters themselves: the approved text in the recipient's language, with their address and
their own data and advice; valid Word documents whatever the row holds; the same bytes for the
same recipient."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import User
from docx import Document

from incidents.models import Notice
from incidents.notices.letters import CombinedDocument, LetterTemplate, TemplateUnreadable
from incidents.notices.recipients import Recipient
from tests.merge_support import approved, breach, letter_text

pytestmark = pytest.mark.usefixtures("frozen_at_t0")


def _template(notice: Notice) -> LetterTemplate:
    stored = notice.files.get(sha256=notice.approved_sha256)
    with stored.file.open("rb") as handle:
        return LetterTemplate(handle.read(), language=notice.language, sha256=notice.approved_sha256)


def _recipient(**given: object) -> Recipient:
    values: dict[str, object] = {
        "row": 2,
        "name": "Matti Meikäläinen",
        "address": ("Esimerkkikatu 1 A 2",),
        "postcode": "00100",
        "city": "Helsinki",
        "country": "",
        "email": "matti@example.fi",
        "language": "fi",
        "data_items": (),
    }
    values.update(given)
    return Recipient(**values)  # type: ignore[arg-type]


@pytest.fixture
def templates(lead: User, dpo: User) -> dict[str, LetterTemplate]:
    incident = breach(lead, dpo)
    return {language: _template(approved(incident, lead, dpo, language)) for language in ("fi", "sv", "en")}


def test_a_letter_is_the_approved_text_under_the_recipients_address(
    templates: dict[str, LetterTemplate],
) -> None:
    letter = templates["fi"].letter(_recipient())
    text = letter_text(letter.data)
    lines = text.splitlines()
    assert lines[:3] == ["Matti Meikäläinen", "Esimerkkikatu 1 A 2", "00100 Helsinki"]
    assert (
        "Ilmoitamme sinulle henkilötietojasi koskevasta tietoturvaloukkauksesta – Verkkokauppa Esimerkki Oy"
        in lines
    )
    assert "[fi] Someone copied the shop's customer database." in text
    assert letter.filename == "000002-Matti_Meikäläinen.docx"


def test_each_language_gets_its_own_approved_text_and_language_tag(
    templates: dict[str, LetterTemplate],
) -> None:
    swedish = templates["sv"].letter(_recipient(language="sv", name="Åsa Nyström", city="Helsingfors"))
    text = letter_text(swedish.data)
    assert "[sv] Someone copied" in text and "[fi]" not in text
    assert "Vi informerar dig om en personuppgiftsincident" in text
    body = zipfile.ZipFile(io.BytesIO(swedish.data)).read("word/document.xml").decode()
    assert '<w:lang w:val="sv-FI"/>' in body


def test_the_persons_own_data_and_the_advice_for_it_are_listed(templates: dict[str, LetterTemplate]) -> None:
    with_data = templates["en"].letter(
        _recipient(language="en", data_items=("e-mail address", "password", "card number"))
    )
    text = letter_text(with_data.data)
    assert "Your data in this breach" in text
    assert "The breach affected these data of yours: e-mail address, password, card number." in text
    assert "Change your password, and the same password anywhere else you use it." in text
    assert "Contact your bank if you see payments or requests you do not recognise." in text
    without = letter_text(templates["en"].letter(_recipient(language="en")).data)
    assert "Your data in this breach" not in without


def test_the_same_recipient_always_gives_the_same_bytes(templates: dict[str, LetterTemplate]) -> None:
    first = templates["fi"].letter(_recipient(data_items=("salasana",)))
    again = templates["fi"].letter(_recipient(data_items=("salasana",)))
    other = templates["fi"].letter(_recipient(name="Maija Meikäläinen"))
    assert first.data == again.data
    assert other.data != first.data


HOSTILE = [
    "Bad\x00Nul\x07Bell\x1bEsc",
    "N" * 10_000,
    "\u05d3\u05e0\u05d4 \u05db\u05d4\u05df",  # Hebrew, right to left
    "\u202eevil\u202c Override",
    "Emoji 🎉👩‍👩‍👧 Smith",
    '=HYPERLINK("http://evil.example","click")',
    "<w:t>&amp; ]]> \"quoted\" 'single'",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_rows_give_valid_letters_with_the_text_intact(
    templates: dict[str, LetterTemplate], name: str
) -> None:
    letter = templates["fi"].letter(_recipient(name=name, address=(name, "line\nbreak"), data_items=(name,)))
    document = Document(io.BytesIO(letter.data))
    printed = document.paragraphs[0].text
    expected = "".join("\ufffd" if ord(char) < 32 and char not in "\t\n\r" else char for char in name)
    assert printed == expected
    assert zipfile.ZipFile(io.BytesIO(letter.data)).testzip() is None
    assert letter.filename.endswith(".docx") and "/" not in letter.filename and len(letter.filename) < 80


def test_a_combined_document_starts_each_letter_on_a_new_page_numbered_from_one(
    templates: dict[str, LetterTemplate],
) -> None:
    combined = CombinedDocument(templates["fi"])
    people = [
        (templates["fi"], _recipient(row=2)),
        (templates["sv"], _recipient(row=3, name="Åsa Nyström", language="sv")),
        (templates["fi"], _recipient(row=4, name="Pekka Korhonen")),
    ]
    fragments = [
        combined.fragment(template, person, first=index == 0).encode()
        for index, (template, person) in enumerate(people)
    ]
    out = io.BytesIO()
    combined.write(out, fragments, large=False)
    document = Document(io.BytesIO(out.getvalue()))
    assert len(document.sections) == 3
    names = [
        p.text
        for p in document.paragraphs
        if p.text in ("Matti Meikäläinen", "Åsa Nyström", "Pekka Korhonen")
    ]
    assert names == ["Matti Meikäläinen", "Åsa Nyström", "Pekka Korhonen"]
    body = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("word/document.xml").decode()
    assert body.count('<w:pgNumType w:start="1"/>') == 3
    # The Swedish letter's text is tagged Swedish inside the Finnish package.
    assert '<w:lang w:val="sv-FI"/>' in body


def test_a_file_that_is_not_a_word_document_cannot_be_a_template() -> None:
    with pytest.raises(TemplateUnreadable):
        LetterTemplate(b"PK\x03\x04 not really", language="fi", sha256="0" * 64)
