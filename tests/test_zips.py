"""The zips a merge writes front to back: every reader of zips opens them, a chunk's entries copied
into the result are the same bytes in the same order, and past 65,535 letters the ZIP64 records
keep the count right."""

from __future__ import annotations

import io
import zipfile

from incidents.notices.zips import ZipWriter


def _written(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    package = ZipWriter(out)
    for name, data in entries:
        package.add(name, data)
    package.close()
    return out.getvalue()


def test_a_zip_written_front_to_back_opens_and_its_entries_read_back_intact() -> None:
    entries = [
        ("000002-Matti_Meikäläinen.docx", b"PK first letter"),
        ("000003-Åsa.docx", bytes(range(256)) * 40),
    ]
    with zipfile.ZipFile(io.BytesIO(_written(entries))) as package:
        assert package.testzip() is None
        assert [(info.filename, package.read(info)) for info in package.infolist()] == entries
        assert all(info.compress_type == zipfile.ZIP_STORED for info in package.infolist())


def test_chunks_copied_into_one_zip_keep_every_entry_and_its_bytes_in_order() -> None:
    first = [(f"{row:06d}-A.docx", f"letter {row}".encode()) for row in range(2, 7)]
    second = [(f"{row:06d}-B.docx", f"letter {row}".encode() * row) for row in range(7, 12)]
    out = io.BytesIO()
    result = ZipWriter(out)
    copied = [result.add_entries_of(io.BytesIO(_written(chunk))) for chunk in (first, second)]
    result.close()
    assert copied == [5, 5]
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as package:
        assert package.testzip() is None
        assert [(info.filename, package.read(info)) for info in package.infolist()] == first + second


def test_past_65535_entries_the_zip_still_counts_every_one() -> None:
    entries = [(f"{row:06d}.docx", b"x") for row in range(70_000)]
    with zipfile.ZipFile(io.BytesIO(_written(entries))) as package:
        infos = package.infolist()
        assert len(infos) == 70_000
        assert (infos[0].filename, infos[-1].filename) == ("000000.docx", "069999.docx")
        assert package.read(infos[-1]) == b"x"
