"""The recipients' CSV read and checked before any letter is written: its encoding and separator
found, its columns recognised in Finnish, Swedish and English, every problem listed by the row and
column a spreadsheet shows, and a file with personal identity codes refused outright."""

from __future__ import annotations

import json

import pytest

from incidents.notices.recipients import (
    CELL_MAX_CHARACTERS,
    READ_MAX_BYTES,
    ROW_MAX_CHARACTERS,
    Recipient,
    RecipientsFile,
    recipients_read,
)
from tests.merge_support import HEADER, many, person, recipients_csv

COLUMNS = "name;email;language;address;postcode;city;notes"


def row(
    name: str = "Matti Meikäläinen",
    email: str = "matti@example.fi",
    language: str = "fi",
    address: str = "Esimerkkikatu 1 A 2",
    postcode: str = "00100",
    city: str = "Helsinki",
    notes: str = "",
) -> str:
    """One line of a file with the COLUMNS header; no cell quoted, so none may hold a semicolon."""
    return ";".join((name, email, language, address, postcode, city, notes))


def csv_of(*lines: str, header: str = COLUMNS) -> bytes:
    return "\r\n".join((header, *lines, "")).encode()


def found(report: RecipientsFile) -> list[tuple[int, str, str]]:
    return [(problem.row, problem.column, problem.code) for problem in report.problems]


def only_message(report: RecipientsFile) -> str:
    (problem,) = report.problems
    return problem.message


# Encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_nordic_names_read_back_intact_in_utf8_with_or_without_bom_and_in_windows_1252(encoding: str) -> None:
    data = recipients_csv(
        [{**person(1), "name": "Åsa Öhman"}, {**person(2), "name": "Jörgen"}], encoding=encoding
    )
    report = recipients_read(data)
    assert report.encoding == encoding
    assert report.problems == ()
    assert [recipient.name for recipient in report.recipients] == ["Åsa Öhman", "Jörgen"]


def test_the_utf8_bom_does_not_end_up_in_the_first_column_name() -> None:
    header = ["Asiakasnumero", *HEADER]
    report = recipients_read(recipients_csv([{**person(1), "Asiakasnumero": "A-1"}], header=header))
    assert report.encoding == "utf-8-sig"
    assert report.ignored_columns == ("Asiakasnumero",)
    assert report.columns[0] == "name"
    assert report.problems == ()


def test_the_bom_does_not_hide_a_first_column_that_is_the_name() -> None:
    report = recipients_read(recipients_csv([person(1)], encoding="utf-8-sig"))
    assert report.columns[0] == "name" and report.ignored_columns == ()
    assert report.recipients[0].name == person(1)["name"]


@pytest.mark.parametrize(
    ("codec", "bom"),
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
    ids=["little-endian", "big-endian"],
)
def test_excels_unicode_text_reads_in_either_byte_order_given_its_bom(codec: str, bom: bytes) -> None:
    rows = [{**person(1), "name": "Åsa Öhman"}, {**person(2), "name": "Jörgen"}]
    data = bom + recipients_csv(rows, delimiter="\t", encoding=codec)
    report = recipients_read(data)
    assert (report.encoding, report.delimiter) == ("utf-16", "\t")
    assert report.problems == ()
    assert [recipient.name for recipient in report.recipients] == ["Åsa Öhman", "Jörgen"]


def test_a_file_in_none_of_the_encodings_is_refused_naming_the_line() -> None:
    # 0x81 is no character in Windows-1252, nor the start of one in UTF-8.
    data = csv_of(row()) + b"Pekka\x81;pekka@example.fi;fi;;;;\r\n"
    report = recipients_read(data)
    assert found(report) == [(0, "", "encoding")]
    assert report.fatal and report.recipients == ()
    assert "Line 3" in only_message(report)


def test_a_utf8_file_with_a_line_in_another_encoding_is_refused_naming_the_line() -> None:
    data = csv_of(row(name="Jörgen Öhman")) + "Åsa;asa@example.fi;fi;;;;\r\n".encode("cp1252")
    report = recipients_read(data)
    assert found(report) == [(0, "", "encoding")]
    assert report.fatal and report.recipients == ()
    assert "Line 3" in only_message(report)


def test_windows_1252_with_dashes_euro_signs_and_accents_side_by_side_is_still_read() -> None:
    names = ["Åsa Öhman – Müller", "Jörgen Ääri", "Café €uro"]
    report = recipients_read(
        csv_of(*(row(name=name, email=f"p{number}@example.fi") for number, name in enumerate(names)))
        .decode()
        .encode("cp1252")
    )
    assert report.encoding == "cp1252" and report.problems == ()
    assert [recipient.name for recipient in report.recipients] == names


# Separators


@pytest.mark.parametrize("delimiter", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
def test_the_separator_is_found_and_quoted_cells_keep_separators_and_line_breaks(delimiter: str) -> None:
    address = "Esimerkkikatu 1; A, 2\tpiha\nrappu B"
    report = recipients_read(
        recipients_csv([{**person(1), "address": address}, person(2)], delimiter=delimiter)
    )
    assert report.delimiter == delimiter
    assert report.problems == ()
    assert [recipient.address for recipient in report.recipients] == [(address,), (person(2)["address"],)]
    assert [recipient.row for recipient in report.recipients] == [2, 3]


def test_separators_inside_a_quoted_header_cell_do_not_count() -> None:
    report = recipients_read(b'name,email,language,"notes; misc; more"\r\nMatti,matti@example.fi,fi,x\r\n')
    assert report.delimiter == ","
    assert report.ignored_columns == ("notes; misc; more",)
    assert report.recipients[0].email == "matti@example.fi"


# Headers


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("Nimi;Osoite;Postinumero;Postitoimipaikka;Maa;Sähköposti;Kieli;Tiedot", "suomi"),
        ("Koko nimi;Katuosoite;Postinumero;Kaupunki;Maa;S-posti;Asiointikieli;Vuotaneet tiedot", "fi"),
        ("Namn;Adress;Postnummer;Ort;Land;E-post;Språk;Uppgifter", "svenska"),
        ("Mottagare;Gatuadress;Postnummer;Postort;Land;Epost;Språk;Personuppgifter", "sv"),
        ("Full name;Street address;ZIP code;Town;Country;E-mail;Lang;Affected data", "english"),
    ],
)
def test_finnish_swedish_and_english_header_words_name_the_columns(header: str, language: str) -> None:
    line = f"Anders Lindström;Gata 1;00100;Helsingfors;Finland;anders@example.fi;{language};namn, adress"
    report = recipients_read(csv_of(line, header=header))
    assert report.problems == () and report.ignored_columns == ()
    assert report.columns == (
        "name",
        "address",
        "postcode",
        "city",
        "country",
        "email",
        "language",
        "data_items",
    )
    (recipient,) = report.recipients
    assert (recipient.name, recipient.address, recipient.postcode, recipient.city, recipient.country) == (
        "Anders Lindström",
        ("Gata 1",),
        "00100",
        "Helsingfors",
        "Finland",
    )
    assert recipient.email == "anders@example.fi"
    assert recipient.data_items == ("namn", "adress")


def test_header_words_are_read_whatever_their_case_spacing_underscores_and_hyphens() -> None:
    header = "  NIMI  ;\tE-Mail ;Postal_Code;  POST-TOWN;KIELI;Street_Address"
    report = recipients_read(csv_of("Matti;matti@example.fi;00100;Helsinki;FI;Katu 1", header=header))
    assert report.problems == () and report.ignored_columns == ()
    assert set(report.columns) == {"name", "email", "postcode", "city", "language", "address"}
    (recipient,) = report.recipients
    assert (recipient.postcode, recipient.city, recipient.language, recipient.address) == (
        "00100",
        "Helsinki",
        "fi",
        ("Katu 1",),
    )


def test_several_address_columns_are_the_address_lines_in_column_order_without_empty_ones() -> None:
    header = "name;email;language;Osoite;Osoite 2;Address line 3;adress4"
    report = recipients_read(
        csv_of("Matti;matti@example.fi;fi;c/o Virtanen;;Esimerkkikatu 1;A 2", header=header)
    )
    assert report.problems == ()
    assert report.recipients[0].address == ("c/o Virtanen", "Esimerkkikatu 1", "A 2")


def test_unknown_columns_are_listed_as_ignored_as_written_and_blank_header_cells_are_not() -> None:
    header = "Asiakasnumero;name;email;;language; Muistiinpanot "
    report = recipients_read(csv_of("A-1;Matti;matti@example.fi;;fi;soita ensin", header=header))
    assert report.ignored_columns == ("Asiakasnumero", "Muistiinpanot")
    assert report.columns == ("name", "email", "language")
    assert report.problems == ()


@pytest.mark.parametrize(
    ("header", "missing", "word"),
    [
        ("email;language;address", "name", "name"),
        ("Nimi;Sähköposti;Osoite", "language", "language"),
        ("name;language;address;city", "email", "e-mail"),
    ],
)
def test_a_missing_column_refuses_the_file_naming_the_column(header: str, missing: str, word: str) -> None:
    report = recipients_read(csv_of("x;y;z", header=header))
    header_problems = [problem for problem in report.problems if problem.row == 1]
    assert [(problem.column, problem.code) for problem in header_problems] == [(missing, "missing_column")]
    assert report.fatal
    assert f"“{word}”" in header_problems[0].message


@pytest.mark.parametrize(
    ("header", "second"),
    [
        ("name;email;language;Sähköposti", "Sähköposti"),
        ("name;email;language;Postal_Code;ZIP-code", "ZIP-code"),
    ],
    ids=["two e-mail columns", "two postcode columns"],
)
def test_a_second_column_for_the_same_field_refuses_the_file_naming_both(header: str, second: str) -> None:
    cells = header.count(";") + 1
    report = recipients_read(
        csv_of(";".join(["Matti", "matti@example.fi", "fi"] + ["x"] * (cells - 3)), header=header)
    )
    assert found(report) == [(1, second, "duplicate_column")]
    assert report.fatal
    assert f"“{second}”" in only_message(report)


def test_a_file_by_post_only_needs_no_email_column() -> None:
    report = recipients_read(
        csv_of("Matti;fi;Katu 1;00100;Helsinki", header="name;language;address;postcode;city")
    )
    assert report.problems == ()
    assert report.recipients[0].email == ""


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b"  \n"], ids=["no bytes", "blank lines", "spaces"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    report = recipients_read(data)
    assert found(report) == [(0, "", "empty")]
    assert report.fatal


def test_a_blank_first_row_is_refused_as_an_empty_header() -> None:
    report = recipients_read(b" ; ;\r\nMatti;matti@example.fi;fi\r\n")
    assert found(report) == [(1, "", "empty")]
    assert report.fatal and "Row 1" in only_message(report)


def test_a_header_without_recipients_is_refused() -> None:
    report = recipients_read(b"name;email;language\r\n\r\n;;\r\n")
    assert found(report) == [(0, "", "empty")]
    assert report.fatal and report.rows == 0


# Problems, by row and column


@pytest.mark.parametrize(
    "email",
    [
        "matti(at)example.fi",
        "matti@exam ple.fi",
        "matti@example",
        "matti@@example.fi",
        "matti.example.fi",
        "äiti@example.fi",
        "matti\u200b@example.fi",  # a zero-width space in the local part
        "matti\uff20example.fi",  # a full-width at sign
    ],
)
def test_a_malformed_email_is_a_problem_of_its_row(email: str) -> None:
    report = recipients_read(csv_of(row(), row(name="Maija", email=email)))
    assert found(report) == [(3, "email", "email")]
    assert not report.fatal
    assert "Row 3" in only_message(report) and "e-mail" in only_message(report)
    assert [recipient.row for recipient in report.recipients] == [2]


@pytest.mark.parametrize("email", ["first.last+tag@sub.example.fi", "o'brien@example.ie", "maija@mäkelä.fi"])
def test_a_well_formed_email_is_taken(email: str) -> None:
    report = recipients_read(csv_of(row(email=email)))
    assert report.problems == ()
    assert report.recipients[0].email == email


@pytest.mark.parametrize(
    ("written", "language"),
    [
        ("fi", "fi"),
        ("FI", "fi"),
        (" Suomi ", "fi"),
        ("finnish", "fi"),
        ("finska", "fi"),
        ("sv", "sv"),
        ("svenska", "sv"),
        ("ruotsi", "sv"),
        ("Swedish", "sv"),
        ("en", "en"),
        ("english", "en"),
        ("englanti", "en"),
        ("engelska", "en"),
    ],
)
def test_language_words_in_finnish_swedish_and_english_are_taken(written: str, language: str) -> None:
    report = recipients_read(csv_of(row(language=written)))
    assert report.problems == ()
    assert report.recipients[0].language == language


@pytest.mark.parametrize("written", ["de", "fin", "se", "Deutsch"])
def test_a_language_not_written_in_is_a_problem_of_its_row_quoting_it(written: str) -> None:
    report = recipients_read(csv_of(row(), row(email="maija@example.fi", language=written)))
    assert found(report) == [(3, "language", "language")]
    assert "Row 3" in only_message(report) and f"“{written}”" in only_message(report)


def test_an_empty_language_is_a_problem_of_its_row() -> None:
    report = recipients_read(csv_of(row(language="")))
    assert found(report) == [(2, "language", "language")]
    assert "Row 2" in only_message(report) and "language" in only_message(report)
    assert report.recipients == ()


def test_the_same_email_twice_is_a_duplicate_naming_the_earlier_row() -> None:
    lines = [
        row(email="Matti@Example.fi"),
        row(name="Maija", email="maija@example.fi"),
        row(email="matti@example.FI"),
    ]
    report = recipients_read(csv_of(*lines))
    assert found(report) == [(4, "email", "duplicate")]
    message = only_message(report)
    assert "Row 4" in message and "row 2" in message and "e-mail" in message
    assert [recipient.row for recipient in report.recipients] == [2, 3]


def test_the_same_email_under_another_name_is_still_the_same_recipient() -> None:
    report = recipients_read(csv_of(row(name="Matti"), row(name="M. Meikäläinen")))
    assert found(report) == [(3, "email", "duplicate")]


def test_by_post_the_same_name_street_and_postcode_in_any_case_and_spacing_is_a_duplicate() -> None:
    lines = [
        row(name="Matti Meikäläinen", email="", address="Katu 1 A 2"),
        row(name="matti  MEIKÄLÄINEN", email="", address="KATU 1 A2", city="Espoo"),
    ]
    report = recipients_read(csv_of(*lines))
    assert found(report) == [(3, "name", "duplicate")]
    assert "Row 3" in only_message(report) and "row 2" in only_message(report)


@pytest.mark.parametrize(
    "other", [{"postcode": "00200"}, {"address": "Katu 2 A 2"}, {"name": "Maija Meikäläinen"}], ids=str
)
def test_by_post_another_street_postcode_or_name_is_another_recipient(other: dict[str, str]) -> None:
    first = {"name": "Matti Meikäläinen", "email": "", "address": "Katu 1 A 2"}
    report = recipients_read(csv_of(row(**first), row(**(first | other))))
    assert report.problems == ()
    assert len(report.recipients) == 2


def test_a_row_skipped_for_its_own_problem_is_not_the_one_a_later_row_repeats() -> None:
    report = recipients_read(csv_of(row(language="de"), row(), row()))
    assert found(report) == [(2, "language", "language"), (4, "email", "duplicate")]
    assert "row 3" in report.problems[1].message
    assert [recipient.row for recipient in report.recipients] == [3]


def test_a_row_with_more_cells_than_the_header_is_too_long() -> None:
    report = recipients_read(csv_of(row(notes="soita; ensin"), row(email="maija@example.fi")))
    assert found(report) == [(2, "", "too_long")]
    assert "Row 2" in only_message(report) and "8 cells" in only_message(report)
    assert [recipient.row for recipient in report.recipients] == [3]


def test_empty_cells_past_the_header_are_no_problem() -> None:
    report = recipients_read(csv_of(row() + ";;  ;"))
    assert report.problems == ()
    assert len(report.recipients) == 1


def test_a_cell_over_the_limit_is_too_long_in_its_column() -> None:
    lines = [
        row(address="k" * (CELL_MAX_CHARACTERS + 1)),
        row(email="maija@example.fi", address="k" * CELL_MAX_CHARACTERS),
    ]
    report = recipients_read(csv_of(*lines))
    assert found(report) == [(2, "address", "too_long")]
    assert "Row 2" in only_message(report) and "address" in only_message(report)
    assert [recipient.row for recipient in report.recipients] == [3]


def test_a_cell_over_the_limit_in_an_ignored_column_is_named_as_the_header_writes_it() -> None:
    header = "name;email;language;Muistiinpanot"
    report = recipients_read(
        csv_of("Matti;matti@example.fi;fi;" + "z" * (CELL_MAX_CHARACTERS + 1), header=header)
    )
    assert found(report) == [(2, "Muistiinpanot", "too_long")]
    assert "Row 2" in only_message(report) and "Muistiinpanot" in only_message(report)


def test_a_row_over_the_limit_in_all_is_too_long() -> None:
    half = "k" * (ROW_MAX_CHARACTERS // 2)
    report = recipients_read(csv_of(row(address=half, notes=half)))
    assert found(report) == [(2, "", "too_long")]
    assert "Row 2" in only_message(report)
    assert report.recipients == ()


def test_a_cell_past_what_csv_reads_is_too_long_and_the_next_row_is_still_read() -> None:
    report = recipients_read(csv_of(row(address='"' + "k" * 200_000 + '"'), row(email="maija@example.fi")))
    assert found(report) == [(2, "", "too_long")]
    assert "Row 2" in only_message(report)
    assert [recipient.row for recipient in report.recipients] == [3]


def test_a_quote_that_never_closes_refuses_the_file_rather_than_swallow_the_rows_after_it() -> None:
    report = recipients_read(
        csv_of(row(), row(email="maija@example.fi", address='"Katu 1'), row(email="b@x.fi"))
    )
    assert found(report) == [(3, "", "quotes_open")]
    assert report.fatal
    assert "Row 3" in only_message(report)


def test_a_stray_quote_inside_a_cell_is_a_problem_of_its_row_and_the_next_row_is_read() -> None:
    report = recipients_read(csv_of(row(address='"Katu" 1'), row(email="maija@example.fi")))
    assert found(report) == [(2, "", "quotes")]
    assert not report.fatal and "Row 2" in only_message(report)
    assert [recipient.row for recipient in report.recipients] == [3]


def test_quotes_a_spreadsheet_writes_inside_an_unquoted_cell_are_text() -> None:
    report = recipients_read(csv_of(row(name='Matti "Masa" Virtanen')))
    assert report.problems == ()
    assert report.recipients[0].name == 'Matti "Masa" Virtanen'


@pytest.mark.parametrize("name", ["", "   "], ids=["empty", "spaces"])
def test_an_empty_name_is_a_problem_of_its_row(name: str) -> None:
    report = recipients_read(csv_of(row(name=name)))
    assert found(report) == [(2, "name", "name")]
    assert "Row 2" in only_message(report) and "name" in only_message(report)


@pytest.mark.parametrize("gap", ["address", "postcode", "city"])
def test_without_email_a_postal_address_lacking_a_part_is_a_problem_of_its_row(gap: str) -> None:
    report = recipients_read(csv_of(row(email="", **{gap: ""})))
    assert found(report) == [(2, "address", "address")]
    assert "Row 2" in only_message(report) and "address" in only_message(report)


def test_with_email_no_postal_address_is_needed() -> None:
    report = recipients_read(csv_of(row(address="", postcode="", city="")))
    assert report.problems == ()


@pytest.mark.parametrize(
    "column",
    [
        "Henkilötunnus",
        "HETU",
        "personnummer",
        "SSN",
        "Asiakkaan henkilötunnus",
        "sotu",
        "Personal identity code",
        "asiakas_hetu",
        "SSN_number",
    ],
)
def test_a_column_for_identity_codes_refuses_the_file_by_its_header(column: str) -> None:
    report = recipients_read(
        csv_of("Matti;matti@example.fi;fi;131052-308T", header=f"name;email;language;{column}")
    )
    assert found(report) == [(1, column, "identity_code")]
    assert report.fatal
    assert f"“{column}”" in only_message(report)


@pytest.mark.parametrize(
    "code",
    ["131052-308T", "131052-308t", "811218-9876", "19811218-9876"],
    ids=["hetu", "lower", "se", "se century"],
)
def test_an_identity_code_in_any_column_refuses_the_file_without_repeating_it(code: str) -> None:
    report = recipients_read(csv_of(row(notes=code)))
    assert found(report) == [(2, "notes", "identity_code")]
    assert report.fatal
    message = only_message(report)
    assert "Row 2" in message and "notes" in message and code not in message


def test_each_column_with_identity_codes_is_reported_once_at_its_first() -> None:
    lines = [
        row(notes="131052-308T"),
        row(email="maija@example.fi", notes="131052-308T"),
        row(email="pekka@example.fi", city="811218-9876", notes="811218-9876"),
        row(name="131052-308T", email="liisa@example.fi"),
    ]
    report = recipients_read(csv_of(*lines))
    assert found(report) == [
        (2, "notes", "identity_code"),
        (4, "city", "identity_code"),
        (5, "name", "identity_code"),
    ]
    assert "city" in report.problems[1].message
    assert report.fatal and report.problem_rows == {2, 4, 5}


def test_a_column_refused_by_its_header_is_not_reported_again_by_its_values() -> None:
    data = csv_of(
        "Matti;matti@example.fi;fi;131052-308T",
        "Maija;maija@example.fi;fi;811218-9876",
        header="name;email;language;hetu",
    )
    assert found(recipients_read(data)) == [(1, "hetu", "identity_code")]


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("notes", "Hetu: 131052-308T"),
        ("notes", "pnr 811218-9876, asiakas vuodesta 2019"),
        ("name", "Matti 19811218-9876"),
    ],
    ids=["hetu after a label", "personnummer in prose", "in the name"],
)
def test_an_identity_code_inside_longer_text_refuses_the_file(column: str, cell: str) -> None:
    report = recipients_read(csv_of(row(**{column: cell})))
    assert found(report) == [(2, column, "identity_code")]
    assert report.fatal


def test_an_identity_code_among_the_data_items_never_reaches_a_letter() -> None:
    data = csv_of("Matti;matti@example.fi;fi;nimi, 131052-308T", header="name;email;language;data items")
    report = recipients_read(data)
    assert found(report) == [(2, "data_items", "identity_code")]
    assert report.fatal and report.recipients == ()


@pytest.mark.parametrize(
    "cell",
    ["Tilaus 202401151234 toimitettu", "puh. 0401234567", "Lasku 131052-308A"],
    ids=["twelve bare digits in text", "phone in text", "hetu wrong check in text"],
)
def test_numbers_in_longer_text_that_are_no_identity_code_are_not_refused(cell: str) -> None:
    report = recipients_read(csv_of(row(notes=cell)))
    assert report.problems == ()


@pytest.mark.parametrize(
    "value",
    ["131052-308A", "0401234567", "8112189876", "811218-9877", "20240115-0001", "2024-01-15"],
    ids=["hetu wrong check", "phone", "ten bare digits", "se wrong check", "order number", "date"],
)
def test_identity_code_look_alikes_are_not_refused(value: str) -> None:
    report = recipients_read(csv_of(row(notes=value)))
    assert report.problems == ()
    assert len(report.recipients) == 1


def test_fatal_and_problem_rows_tell_what_skipping_rows_can_fix() -> None:
    skippable = recipients_read(
        csv_of(row(email="matti(at)example.fi"), row(email="maija@example.fi"), row(name=""))
    )
    assert not skippable.fatal and skippable.problem_rows == {2, 4}
    refused = recipients_read(
        csv_of(row(email="matti(at)example.fi"), row(email="maija@example.fi", notes="131052-308T"))
    )
    assert refused.fatal and refused.problem_rows == {2, 3}


def test_problems_are_listed_in_row_order() -> None:
    report = recipients_read(csv_of(row(name="", language="de"), row(email="x"), row(email="y", name="")))
    assert found(report) == [
        (2, "language", "language"),
        (2, "name", "name"),
        (3, "email", "email"),
        (4, "email", "email"),
        (4, "name", "name"),
    ]


# Data items


@pytest.mark.parametrize("separator", [";", "|", ",", "\n", "\r\n", " ; "], ids=repr)
def test_data_items_are_split_trimmed_and_kept_once_in_order(separator: str) -> None:
    items = separator.join(["Nimi", " Osoite ", "Nimi", "Puhelinnumero", "", "Osoite"])
    report = recipients_read(recipients_csv([{**person(1), "data items": items}]))
    assert report.recipients[0].data_items == ("Nimi", "Osoite", "Puhelinnumero")


def test_data_items_may_mix_separators() -> None:
    items = "Nimi; Osoite|Puhelinnumero,\n Sähköposti ;;Nimi"
    report = recipients_read(recipients_csv([{**person(1), "data items": items}]))
    assert report.recipients[0].data_items == ("Nimi", "Osoite", "Puhelinnumero", "Sähköposti")


# Whitespace and row numbers


def test_cells_are_stripped_of_surrounding_space() -> None:
    line = "  Matti  ; matti@example.fi ;\tfi ; Katu 1 ; 00100 ; Helsinki ;"
    report = recipients_read(csv_of(line))
    assert report.problems == ()
    (recipient,) = report.recipients
    assert (recipient.name, recipient.email, recipient.address, recipient.postcode, recipient.city) == (
        "Matti",
        "matti@example.fi",
        ("Katu 1",),
        "00100",
        "Helsinki",
    )


def test_blank_lines_are_skipped_but_keep_their_row_numbers_as_a_spreadsheet_shows() -> None:
    lines = ["", row(), ";;  ;;;;", row(email="maija@example.fi", language="xx")]
    report = recipients_read(csv_of(*lines))
    assert [recipient.row for recipient in report.recipients] == [3]
    assert found(report) == [(5, "language", "language")]
    assert "Row 5" in only_message(report)
    assert report.rows == 2


def test_a_quoted_cell_over_several_lines_is_one_row() -> None:
    lines = ['"Matti\r\nMeikäläinen";matti@example.fi;fi;;;;', row(email="maija@example.fi", name="")]
    report = recipients_read(csv_of(*lines))
    assert report.recipients[0].name == "Matti\r\nMeikäläinen"
    assert found(report) == [(3, "name", "name")]


# Hostile cells


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("http://x","y")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "مرحبا بالعالم",
        "שלום עולם",
        "\u202eevil\u202c",
        "Åsa 👩‍👩‍👧 🇫🇮",
        "x" * 10_000,
        "<script>alert(1)</script>",
    ],
    ids=["hyperlink", "dde", "at formula", "arabic", "hebrew", "rtl override", "emoji", "10 kB", "html"],
)
def test_hostile_names_are_kept_exactly_as_written(name: str) -> None:
    report = recipients_read(recipients_csv([{**person(1), "name": name}]))
    assert report.problems == ()
    assert report.recipients[0].name == name


# Large files


def test_a_hundred_thousand_rows_are_read_without_problems() -> None:
    report = recipients_read(many(100_000, ("fi", "sv", "en")))
    assert report.problems == ()
    assert report.rows == len(report.recipients) == 100_000
    assert (report.recipients[0].row, report.recipients[-1].row) == (2, 100_001)
    assert [recipient.language for recipient in report.recipients[:3]] == ["fi", "sv", "en"]


def test_a_file_over_the_size_limit_is_refused_unread() -> None:
    report = recipients_read(csv_of(row()) + b" " * READ_MAX_BYTES)
    assert found(report) == [(0, "", "too_long")]
    assert report.fatal and report.recipients == ()
    assert f"{READ_MAX_BYTES // 1024 // 1024} MB" in only_message(report)


# The recipient as stored with a merge


def test_a_recipient_survives_a_round_trip_through_json() -> None:
    header = "name;email;language;address;Osoite 2;postcode;city;country;data items"
    line = "Åsa Öhman;asa@example.fi;sv;Gata 1;B 2;00100;Helsingfors;Finland;namn|adress"
    (recipient,) = recipients_read(csv_of(line, header=header)).recipients
    stored = json.loads(json.dumps(recipient.as_dict()))
    assert stored["address"] == ["Gata 1", "B 2"] and stored["data_items"] == ["namn", "adress"]
    assert Recipient.from_dict(stored) == recipient
