"""OLE2 compound files (the container of .xls and of encrypted OOXML): stream names, and the
content of one stream.

`stream_names` reads only the directory, following its sector chain through the FAT, so that
an encrypted workbook is recognised (an `EncryptionInfo` stream) without reading any stream's
content. `read_stream` reads one stream, for the error-cell finder.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_HEADER = 512
_DIFAT_IN_HEADER = 109
_MAX_REGULAR_SECTOR = 0xFFFFFFFA  # larger values mark free, end-of-chain, FAT or DIFAT sectors
_ENTRY = 128


class CompoundFileError(ValueError):
    """The compound file's header or sector chains are inconsistent."""


def _read_sector(stream: BinaryIO, number: int, size: int) -> bytes:
    stream.seek((number + 1) * size)
    data = stream.read(size)
    if len(data) != size:
        raise CompoundFileError(f"sector {number} lies past the end of the file")
    return data


def _fat(stream: BinaryIO, header: bytes, size: int, max_sectors: int) -> list[int]:
    fat_count = struct.unpack_from("<I", header, 0x2C)[0]
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
    locations = list(struct.unpack_from(f"<{_DIFAT_IN_HEADER}I", header, 0x4C))
    per_sector = size // 4 - 1
    sector, seen = first_difat, 0
    while sector <= _MAX_REGULAR_SECTOR and seen < min(difat_count, max_sectors):
        words = struct.unpack(f"<{per_sector + 1}I", _read_sector(stream, sector, size))
        locations.extend(words[:per_sector])
        sector, seen = words[per_sector], seen + 1
    fat: list[int] = []
    for location in locations[: min(fat_count, max_sectors)]:
        if location > _MAX_REGULAR_SECTOR:
            break
        fat.extend(struct.unpack(f"<{size // 4}I", _read_sector(stream, location, size)))
    return fat


def _open(stream: BinaryIO) -> tuple[bytes, int, int, int, list[int]]:
    """The compound file's header, its size in bytes, its sector size, the most sectors it can
    hold, and its FAT. Raises CompoundFileError when it is no OLE2 file."""
    stream.seek(0, 2)
    file_size = stream.tell()
    stream.seek(0)
    header = stream.read(_HEADER)
    if len(header) < _HEADER or not header.startswith(OLE2_MAGIC):
        raise CompoundFileError("not an OLE2 compound file")
    shift = struct.unpack_from("<H", header, 0x1E)[0]
    if shift not in (9, 12):
        raise CompoundFileError(f"unexpected sector size 2**{shift}")
    size = 1 << shift
    max_sectors = max(1, file_size // size)
    return header, file_size, size, max_sectors, _fat(stream, header, size, max_sectors)


def stream_names(stream: BinaryIO) -> set[str]:
    """Names of every stream and storage in the compound file. Raises CompoundFileError."""
    header, _, size, max_sectors, fat = _open(stream)
    names: set[str] = set()
    sector, visited = struct.unpack_from("<I", header, 0x30)[0], 0
    while sector <= _MAX_REGULAR_SECTOR and visited < max_sectors:
        directory = _read_sector(stream, sector, size)
        for offset in range(0, size, _ENTRY):
            length = struct.unpack_from("<H", directory, offset + 0x40)[0]
            kind = directory[offset + 0x42]
            if kind and 2 <= length <= 64:
                names.add(directory[offset : offset + length - 2].decode("utf-16-le", "replace"))
        sector = fat[sector] if sector < len(fat) else 0xFFFFFFFE
        visited += 1
    return names


def _chain(table: list[int], first: int, limit: int) -> list[int]:
    """The sector numbers of a chain through `table` (FAT or mini FAT), at most `limit`."""
    chain: list[int] = []
    sector = first
    while sector <= _MAX_REGULAR_SECTOR and len(chain) < limit:
        chain.append(sector)
        sector = table[sector] if sector < len(table) else 0xFFFFFFFE
    return chain


def read_stream(stream: BinaryIO, names: tuple[str, ...]) -> bytes:
    """The content of the first root-level stream called one of `names` (a .xls workbook's
    `Workbook`, or `Book` in older files). Raises CompoundFileError when there is none or the
    file is damaged."""
    header, file_size, size, max_sectors, fat = _open(stream)
    mini_shift = struct.unpack_from("<H", header, 0x20)[0]
    if mini_shift != 6:
        raise CompoundFileError(f"unexpected mini sector size 2**{mini_shift}")
    cutoff = struct.unpack_from("<I", header, 0x38)[0]
    first_mini_fat, mini_fat_count = struct.unpack_from("<II", header, 0x3C)
    entries: list[tuple[str, int, int, int]] = []  # name, kind, start sector, size
    for sector in _chain(fat, struct.unpack_from("<I", header, 0x30)[0], max_sectors):
        directory = _read_sector(stream, sector, size)
        for offset in range(0, size, _ENTRY):
            length = struct.unpack_from("<H", directory, offset + 0x40)[0]
            kind = directory[offset + 0x42]
            start, stream_size = struct.unpack_from("<IQ", directory, offset + 0x74)
            name = directory[offset : offset + max(length - 2, 0)].decode("utf-16-le", "replace")
            entries.append((name, kind, start, stream_size))
    if not entries:
        raise CompoundFileError("no directory")
    wanted = next((e for e in entries if e[1] == 2 and e[0] in names), None)
    if wanted is None:
        raise CompoundFileError(f"no {' or '.join(names)} stream")
    _, _, start, stream_size = wanted
    if stream_size > file_size:
        raise CompoundFileError("a stream is larger than the file")
    if stream_size >= cutoff:
        sectors = _chain(fat, start, max_sectors)
        data = b"".join(_read_sector(stream, s, size) for s in sectors)
    else:  # a small stream lives in the mini stream, in 64-byte sectors
        mini_fat: list[int] = []
        for sector in _chain(fat, first_mini_fat, min(mini_fat_count, max_sectors)):
            mini_fat.extend(struct.unpack(f"<{size // 4}I", _read_sector(stream, sector, size)))
        root = entries[0]
        mini_stream = b"".join(_read_sector(stream, s, size)
                               for s in _chain(fat, root[2], max_sectors))
        data = b"".join(mini_stream[s * 64 : s * 64 + 64]
                        for s in _chain(mini_fat, start, len(mini_stream) // 64 + 1))
    if len(data) < stream_size:
        raise CompoundFileError("a stream is cut short")
    return data[:stream_size]
