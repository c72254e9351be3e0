"""The zips a merge writes front to back: every reader of zips opens them, a chunk's compressed
entries read back as they were written, and past 65,535 letters the ZIP64 records
keep the count right."""

from __future__ import annotations

import io
import zipfile
import zlib

from incidents.notices.zips import ZipWriter, raw_entries


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


def test_compressed_entries_read_back_raw_and_as_their_data() -> None:
    data = b"<w:document>" + "Matti Meikäläinen ".encode() * 500 + b"</w:document>"
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    out = io.BytesIO()
    package = ZipWriter(out)
    package.add_deflated("fi/000002-Matti.docx", zlib.crc32(data), len(data), packed)
    package.add("000003-Maija.docx", b"stored")
    package.close()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as opened:
        assert opened.testzip() is None
        assert opened.read("fi/000002-Matti.docx") == data
    entries = [(info.filename, raw) for info, raw in raw_entries(out.getvalue())]
    assert entries == [("fi/000002-Matti.docx", packed), ("000003-Maija.docx", b"stored")]


def test_past_65535_entries_the_zip_still_counts_every_one() -> None:
    entries = [(f"{row:06d}.docx", b"x") for row in range(70_000)]
    with zipfile.ZipFile(io.BytesIO(_written(entries))) as package:
        infos = package.infolist()
        assert len(infos) == 70_000
        assert (infos[0].filename, infos[-1].filename) == ("000000.docx", "069999.docx")
        assert package.read(infos[-1]) == b"x"
