"""Zip packages written front to back, never sought back into: a letter's .docx, and the zip of a
merge's letters, which is put together from its chunks' entries as they are, byte for byte.

Python's zipfile goes back to rewrite each entry's header once the entry is written, and reads
every entry through again to copy it into another archive; for the tens of thousands of letters a
merge writes, both cost more than making the letters. Here each entry's header is written once with
its sizes and CRC known, so the file can be hashed as it is written, and a chunk's entries are
copied into the result without being read apart. Past 65,535 entries or 4 GiB the central directory
takes the ZIP64 records, which every reader of zips knows (zipfile included).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from incidents.notices.document import ZIP_TIME

_DOS_DATE = (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_DOS_TIME = ZIP_TIME[3] << 11 | ZIP_TIME[4] << 5 | ZIP_TIME[5] // 2
_UTF8 = 0x800
_MODE = 0o600 << 16
_LOCAL_SIZE = 30  # a local header before its name
_MAX_32 = 0xFFFFFFFF
_MAX_16 = 0xFFFF


def local_header(name: bytes, crc: int, packed_size: int, size: int, method: int) -> bytes:
    return struct.pack(
        "<4s5H3L2H",
        b"PK\x03\x04",
        20,
        _UTF8,
        method,
        _DOS_TIME,
        _DOS_DATE,
        crc,
        packed_size,
        size,
        len(name),
        0,
    )


def central_header(name: bytes, crc: int, packed_size: int, size: int, offset: int, method: int) -> bytes:
    """The central directory's record of an entry; an offset past 4 GiB goes in a ZIP64 field."""
    extra = b""
    if offset >= _MAX_32:
        extra, offset = struct.pack("<2HQ", 1, 8, offset), _MAX_32
    version = 45 if extra else 20
    return (
        struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            version,
            version,
            _UTF8,
            method,
            _DOS_TIME,
            _DOS_DATE,
            crc,
            packed_size,
            size,
            len(name),
            len(extra),
            0,
            0,
            0,
            _MODE,
            offset,
        )
        + name
        + extra
    )


def end_records(count: int, central_size: int, central_offset: int) -> bytes:
    """The end of central directory record, after the ZIP64 ones when the counts need them."""
    if count < _MAX_16 and central_size < _MAX_32 and central_offset < _MAX_32:
        return struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, central_size, central_offset, 0)
    zip64_end = central_offset + central_size
    return (
        struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, central_size, central_offset)
        + struct.pack("<4sLQL", b"PK\x06\x07", 0, zip64_end, 1)
        + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, _MAX_16, _MAX_16, _MAX_32, _MAX_32, 0)
    )


def raw_entries(data: bytes) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
    """Each entry of a zip this module wrote, with its bytes as stored (compressed or not)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
    for info in infos:
        start = info.header_offset + _LOCAL_SIZE + len(info.filename.encode("utf-8"))
        yield info, data[start : start + info.compress_size]


@dataclass(frozen=True, slots=True)
class _Entry:
    name: bytes
    crc: int
    packed_size: int
    size: int
    offset: int
    method: int


class ZipWriter:
    """Entries appended to ``out`` in order; :meth:`close` writes the central directory. ``out``
    is only ever written to, so a hashing writer or a pipe will do."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.offset = 0
        self._entries: list[_Entry] = []

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.offset += len(data)

    def add(self, name: str, data: bytes) -> None:
        """``data`` stored as it is: a letter is a zip already, compressed."""
        encoded, crc, stored = name.encode("utf-8"), zlib.crc32(data), zipfile.ZIP_STORED
        entry = _Entry(encoded, crc, len(data), len(data), self.offset, stored)
        self._write(local_header(encoded, crc, len(data), len(data), stored) + encoded)
        self._write(data)
        self._entries.append(entry)

    def add_deflated(self, name: str, crc: int, size: int, packed: bytes) -> None:
        """An entry already compressed: ``packed`` is the raw deflate stream of ``size`` bytes
        whose CRC-32 is ``crc``."""
        encoded, deflated = name.encode("utf-8"), zipfile.ZIP_DEFLATED
        self._entries.append(_Entry(encoded, crc, len(packed), size, self.offset, deflated))
        self._write(local_header(encoded, crc, len(packed), size, deflated) + encoded)
        self._write(packed)

    def close(self) -> None:
        """The central directory and the end records: the zip is complete."""
        start = self.offset
        for e in self._entries:
            self._write(central_header(e.name, e.crc, e.packed_size, e.size, e.offset, e.method))
        self._write(end_records(len(self._entries), self.offset - start, start))
